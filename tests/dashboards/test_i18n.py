"""Every visible text goes through the label tables, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

from dashboards.i18n import LABELS, column_label, enum_label, t
from flows.contract import CODES
from flows.contract import COLUMN_LABELS as COLUMNS

DASHBOARDS = Path(__file__).resolve().parents[2] / "dashboards"
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_label_has_both_languages():
    for table in (LABELS, COLUMNS, *CODES.values()):
        for key, (zh, en) in table.items():
            assert zh.strip() and en.strip(), key
            assert not CJK.search(en), key


def test_every_label_key_used_by_the_code_exists():
    used = set()
    for path in DASHBOARDS.rglob("*.py"):
        used |= set(re.findall(r"\bt\(\s*\"([a-z0-9_]+)\"", path.read_text(encoding="utf-8")))
    assert used, "the scan found no label keys"
    known = set(LABELS) | set(COLUMNS)  # a column's name gives its header
    assert used <= known, sorted(used - known)


def test_pages_hold_no_hard_coded_chinese():
    for path in (DASHBOARDS / "app_pages").glob("*.py"):
        assert not CJK.search(path.read_text(encoding="utf-8")), path.name


def test_lookups():
    assert t("platform_rate_caption", "en", rate="1 %", defects=1, lines=2).startswith("Platform")
    assert enum_label("channel", "hotline", "zh") == "客服热线"
    assert enum_label("issue_type", None, "en") == "Unclassified"
    assert enum_label("channel", "fax", "en") == "fax"
    assert column_label("defect_rate", "zh") == "缺陷率"
    assert column_label("custom_column", "zh") == "custom_column"
