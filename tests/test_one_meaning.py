"""One meaning per number: the statistics live in dbt (macros/, models/) or the one constants
module, and the words of every code in one table (``flows.contract.CODES``). These scans fail when
a second copy appears in the Python faces."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.contract import CODES, COLUMN_LABELS

ROOT = Path(__file__).resolve().parents[1]
# The Python that ships (tests and benchmarks may restate a number to check it independently).
SHIPPED = sorted(
    path
    for folder in ("flows", "dashboards", "scripts")
    for path in (ROOT / folder).rglob("*.py")
    if path.is_file()
)
VOCABULARY = ROOT / "flows" / "contract.py"
COLUMN_WORDS = ROOT / "flows" / "column_labels.py"
# Normal quantiles and Wilson pieces: 1.95996 (97.5 %), 3.84146 (its square), 3.09023 (99.9 %),
# 2.57583 (99.5 %), 1.64485 (95 %).
STAT_LITERAL = re.compile(r"1\.9599|3\.8414|3\.0902|2\.5758|1\.6448")
STATUS_KINDS = ("status", "sla_status")


def _strings(tree: ast.AST) -> Iterator[ast.Constant]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if ROOT in path.parents else str(path)


def _parsed(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _code_kind_of_keys(keys: list[str]) -> str | None:
    """The code table two or more of ``keys`` belong to, if any."""
    for kind, codes in CODES.items():
        if len(set(keys) & set(codes)) >= 2:
            return kind
    return None


def code_label_tables(path: Path) -> list[str]:
    """Dict literals that word codes (code keys, text values) outside the one table."""
    found = []
    for node in ast.walk(_parsed(path)):
        if not isinstance(node, ast.Dict):
            continue
        keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
        keys = [k for k in keys if isinstance(k, str)]
        kind = _code_kind_of_keys(keys)
        texts = []
        for value in node.values:
            elements = value.elts if isinstance(value, ast.Tuple) else [value]
            texts += [e.value if isinstance(e, ast.Constant) else None for e in elements]
        # Words, not identifiers or SQL (an allow-list of columns keyed by a code is no label).
        worded = all(isinstance(t, str) and not re.search(r"[_(]", t) for t in texts)
        if kind and worded and node.values:
            found.append(f"{_shown(path)}:{node.lineno} words {kind} codes")
    return found


def _is_words(text: object) -> bool:
    """Words a reader sees (Chinese, or a capital or a space), not an identifier or a format."""
    return isinstance(text, str) and bool(re.search(r"[\u4e00-\u9fff]|[A-Z]|\s", text))


def column_label_tables(path: Path) -> list[str]:
    """Dict entries that word a column (a key of the one column-label table, a worded value)
    outside that table."""
    found = []
    for node in ast.walk(_parsed(path)):
        if not isinstance(node, ast.Dict):
            continue
        for key, value in zip(node.keys, node.values, strict=True):
            if not (isinstance(key, ast.Constant) and key.value in COLUMN_LABELS):
                continue
            elements = value.elts if isinstance(value, ast.Tuple) else [value]
            texts = [e.value for e in elements if isinstance(e, ast.Constant)]
            if texts and all(_is_words(t) for t in texts):
                found.append(f"{_shown(path)}:{node.lineno} words column {key.value}")
    return found


def status_lists(path: Path) -> list[str]:
    """Lists of two or more complaint or SLA statuses (in Python or in SQL text)."""
    found = []
    for node in ast.walk(_parsed(path)):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            values = [e.value for e in node.elts if isinstance(e, ast.Constant)]
            texts = [v for v in values if isinstance(v, str)]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            texts = re.findall(r"'(\w+)'", node.value)
        else:
            continue
        for kind in STATUS_KINDS:
            if len(set(texts) & set(CODES[kind])) >= 2:
                found.append(f"{_shown(path)}:{node.lineno} lists {kind} codes")
    return found


def statistics(path: Path) -> list[str]:
    """Normal quantiles or a Wilson interval written in Python or in its SQL text."""
    found = []
    for node in ast.walk(_parsed(path)):
        if isinstance(node, ast.Constant) and isinstance(node.value, float | str):
            text = repr(node.value) if isinstance(node.value, float) else node.value
            if STAT_LITERAL.search(text) or re.search(r"sqrt\(", text, re.IGNORECASE):
                found.append(f"{_shown(path)}:{node.lineno}")
    return found


def test_the_scans_cover_the_faces():
    names = {path.relative_to(ROOT).as_posix() for path in SHIPPED}
    assert {"dashboards/data.py", "flows/scorecard/labels.py", "flows/contract.py"} <= names


@pytest.mark.parametrize(
    ("scan", "planted"),
    [
        (code_label_tables, 'STAGES = {"acknowledge": "受理响应", "resolution": "处理完结"}\n'),
        (column_label_tables, 'TEXT = {"en": {"merchant_evidence_on_time_rate": "On time"}}\n'),
        (column_label_tables, 'HEADERS = {"defect_rate": ("缺陷率", "Defect rate")}\n'),
        (status_lists, "OPEN = ('open', 'investigating', 'awaiting_merchant')\n"),
        (status_lists, "SQL = \"where sla_status in ('breached', 'open_overdue')\"\n"),
        (statistics, "Z = 1.959963984540054\n"),
        (statistics, 'SQL = "p + 1.96 * sqrt(p * (1 - p) / n)"\n'),
    ],
)
def test_each_scan_finds_a_planted_copy(tmp_path, scan, planted):
    path = tmp_path / "planted.py"
    path.write_text(planted, encoding="utf-8")
    assert scan(path)


def test_code_words_are_defined_once():
    found = [hit for path in SHIPPED if path != VOCABULARY for hit in code_label_tables(path)]
    assert not found, found


def test_column_words_are_defined_once():
    """Every column header (dashboard tables, cards, workbooks, e-mails, CSV) comes from
    flows.contract.COLUMN_LABELS: a second wording of a column anywhere fails."""
    found = [hit for path in SHIPPED if path != COLUMN_WORDS for hit in column_label_tables(path)]
    assert not found, found


def test_no_status_list_outside_the_models_and_the_contract():
    # The generator simulates the complaint system's workflow (which status follows which step):
    # it writes statuses, it does not define a metric over them.
    generator = ROOT / "flows" / "generator"
    found = [
        hit
        for path in SHIPPED
        if path != VOCABULARY and generator not in path.parents
        for hit in status_lists(path)
    ]
    assert not found, found


def test_no_wilson_or_z_outside_dbt():
    found = [hit for path in SHIPPED for hit in statistics(path)]
    assert not found, found


def test_every_code_has_distinct_words_in_both_languages():
    for kind, codes in CODES.items():
        for lang in (0, 1):
            words = [pair[lang] for pair in codes.values()]
            assert len(set(words)) == len(words), (kind, lang)
