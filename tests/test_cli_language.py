"""The command line speaks one language at a time (setting ``language``, env ``COMPLAINTS_LANG``).

In Chinese every command's ``--help`` and the common errors hold no run of Latin letters but the
allowed terms (tests/language.py), the tokens a user types, and the data's values; in English no
CJK but the data's values and what the user typed. Each error is one sentence.

What a user types stays as it is in either language, and is excluded by rule, not by list: the
program, command and option names, metavars, choices and environment variables of the command tree
itself; file paths and file names; code identifiers (snake_case, dotted table names); and anything
in single quotes (a command or value to type, e.g. 'complaints run', 'csv').

Typer fixes help texts when commands register, so each language runs in its own child process.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.language import Checker, data_values

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("zh", "en")
# Names of the tools and protocols the help mentions, as their users write them.
PRODUCT_NAMES = {"DuckDB", "Prefect", "Spark", "SMTP", "YAML", "JSON", "bcrypt", "SELECT"}
PROJECT = {"complaint-insight"}  # the project's own name, in the app's one-line description
ERROR_CASES: list[tuple[list[str], str]] = [
    (["scorecards", "--category", "不存在"], "不存在"),
    (["build", "--as-of", "2020-01-01"], ""),
    (["build", "--as-of", "2030-01-01"], ""),
    (["build", "--as-of", "yesterday"], "yesterday"),
    (["sql", "select 1", "--warehouse", "{csv}"], ""),
    (["scorecards", "--no-send", "--warehouse", "{csv}"], ""),
    (["build", "--warehouse", "{csv}"], ""),
    (["sql", "select * from no_such_table"], "no_such_table"),
    (["scorecards", "--lang", "fr"], ""),
    (["scorecards", "--week", "2026-W60"], ""),
]
# Typed tokens in free text: paths, file names, environment variables, code identifiers, quotes.
TYPED = re.compile(
    r"'[^'\n]{0,80}'"  # a command or value to type
    r"|[\w.~<>*-]*/[\w./<>*-]*"  # a path
    r"|\b[\w-]+\.(?:yml|yaml|json|duckdb|csv|log|html|xlsx)\b"  # a file name
    r"|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9*]+)+\*?"  # an environment variable
    r"|\b[a-z][a-z0-9]*(?:[._][a-z0-9]+)+\b"  # a code identifier or a dotted table name
)


def _commands(group: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    if hasattr(group, "commands"):  # a group (typer carries its own click)
        for name, sub in group.commands.items():
            found += _commands(sub, (*path, name))
    return found


def _tree_tokens(command: Any) -> set[str]:
    """Every token of the command tree a user types: names, options, choices, defaults, env
    (metavars are shown in angle brackets, which the checker reads as markup)."""
    tokens = {"complaints", "--help", getattr(command, "name", "") or ""}
    tokens |= {"OPTIONS", "COMMAND", "ARGS"}  # the usage line's placeholders
    for param in getattr(command, "params", []):
        tokens |= {*param.opts, *getattr(param, "secondary_opts", []), param.name or ""}
        kind = getattr(param, "type_descriptor", None)
        tokens |= {str(c) for c in (getattr(kind, "choices", None) or [])}
        if isinstance(param.default, str):  # shown as "[default: table]"
            tokens.add(param.default)
        envvar = getattr(param, "envvar", None)
        tokens |= set(envvar if isinstance(envvar, list | tuple) else [envvar or ""])
    for sub in getattr(command, "commands", {}).values():
        tokens |= _tree_tokens(sub)
    return {t for t in tokens if t}


def walk(warehouse: str, csv: str, out: str) -> None:
    """Run in a child process with COMPLAINTS_LANG set: every --help and every error case."""
    from typer.main import get_command
    from typer.testing import CliRunner

    from flows.cli import _register_commands, app

    _register_commands()
    command = get_command(app)
    runner = CliRunner()
    helps = {}
    for path in _commands(command):
        result = runner.invoke(app, [*path, "--help"], terminal_width=120, prog_name="complaints")
        helps[" ".join(path)] = (result.exit_code, result.output)
    errors = []
    for args, _typed in ERROR_CASES:
        args = [a.replace("{csv}", csv) for a in args]
        if "--warehouse" not in args:
            args += ["--warehouse", warehouse]
        result = runner.invoke(app, args, terminal_width=200, prog_name="complaints")
        errors.append((args, result.exit_code, result.output))
    words = {w for token in _tree_tokens(command) for w in re.findall(r"[A-Za-z]+", token)}
    Path(out).write_text(
        json.dumps({"helps": helps, "errors": errors, "tokens": sorted(words)}), encoding="utf-8"
    )


@pytest.fixture(scope="module")
def walks(small_warehouse, tmp_path_factory) -> dict[str, dict]:
    folder = tmp_path_factory.mktemp("cli_language")
    csv = folder / "orders.csv"
    csv.write_text("order_id,sku_id\n1,2\n", encoding="utf-8")
    found = {}
    for lang in LANGS:
        out = folder / f"{lang}.json"
        code = "import sys; from tests.test_cli_language import walk; walk(*sys.argv[1:])"
        subprocess.run(
            [sys.executable, "-c", code, str(small_warehouse), str(csv), str(out)],
            cwd=ROOT,
            env={**os.environ, "COMPLAINTS_LANG": lang},
            check=True,
            timeout=600,
        )
        found[lang] = json.loads(out.read_text(encoding="utf-8"))
    return found


def _checker(walked: dict, values: set[str], lang: str) -> Checker:
    allowed = set(walked["tokens"]) | PRODUCT_NAMES if lang == "zh" else set()
    return Checker(values | PROJECT, allowed)


def _stray(checker: Checker, text: str, lang: str) -> list[str]:
    text = " ".join(text.split())  # Rich wraps long paths and quotes across lines
    if lang == "zh":
        text = TYPED.sub(" ", text)
    return checker.stray(text, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_every_help_speaks_one_language(walks, lang):
    walked = walks[lang]
    assert len(walked["helps"]) > 10  # run, ingest, build, generate, scorecards, sql, dashboard…
    assert {"scorecards", "generate", "sql"} <= set(walked["helps"])
    checker = _checker(walked, set(), lang)
    found = {}
    for path, (code, output) in walked["helps"].items():
        assert code == 0, output
        if stray := _stray(checker, output, lang):
            found[path or "complaints"] = stray
    assert not found, found


@pytest.mark.parametrize("lang", LANGS)
def test_errors_are_one_sentence_in_one_language(walks, lang, small_warehouse):
    walked = walks[lang]
    data = data_values(small_warehouse)
    found = {}
    for (args, code, output), (_, typed) in zip(walked["errors"], ERROR_CASES, strict=True):
        assert code != 0, (args, output)
        message = " ".join(output.split())
        assert message and "Traceback" not in output, args
        checker = _checker(walked, data | ({typed} if typed else set()), lang)
        if stray := _stray(checker, message, lang):
            found[" ".join(args)] = stray
        # One sentence: no stack of lines, at most one full stop inside the message.
        assert len(re.findall(r"[.!?]\s+[A-Z]|[。！？]\s*\S", message)) <= 1, message
    assert not found, found


def test_the_languages_differ(walks):
    """The same error, worded from the one catalogue in each language."""
    zh, en = (walks[lang]["errors"][0][2] for lang in LANGS)
    assert "类目" in zh and "category" in en


def test_the_checks_can_fail():
    zh = Checker([], PRODUCT_NAMES | {"complaints", "category"})
    assert _stray(zh, "--category 只生成该类目 to write", "zh")  # "to", "write"
    assert not _stray(zh, "请先运行 'complaints run'，见 data/warehouse.duckdb", "zh")
    assert _stray(Checker([]), "--category  类目 to write", "en")
