"""The command line speaks one language (English): every command's ``--help`` and its common
errors hold no Chinese but the values the user typed, and each error is one sentence."""

from __future__ import annotations

import re
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from flows.cli import _register_commands, app
from tests.language import Checker, data_values

_register_commands()
COMMAND = get_command(app)
CHECKER = Checker([])


def _commands(group: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    if hasattr(group, "commands"):  # a group (typer carries its own click)
        for name, sub in group.commands.items():
            found += _commands(sub, (*path, name))
    return found


COMMANDS = _commands(COMMAND)


def test_the_walk_covers_every_command():
    assert len(COMMANDS) > 10  # run, ingest, build, generate, scorecards, sql, dashboard, …
    assert ("scorecards",) in COMMANDS and ("generate",) in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "complaints")
def test_every_help_is_english(path):
    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=120)
    assert result.exit_code == 0, result.output
    assert not CHECKER.stray(result.output, "en"), result.output


def test_the_checker_sees_chinese_in_help():
    assert CHECKER.stray("--category  类目 to write", "en")


@pytest.mark.parametrize(
    ("args", "typed"),
    [
        (["scorecards", "--category", "不存在"], "不存在"),
        (["build", "--as-of", "2020-01-01"], ""),
        (["sql", "select 1", "--warehouse", "{csv}"], ""),
        (["scorecards", "--lang", "fr"], ""),
    ],
)
def test_errors_are_one_english_sentence(args, typed, tmp_path, small_warehouse):
    csv = tmp_path / "orders.csv"
    csv.write_text("order_id,sku_id\n1,2\n", encoding="utf-8")
    args = [a.replace("{csv}", str(csv)) for a in args]
    if "--warehouse" not in args:
        args += ["--warehouse", str(small_warehouse)]
    result = CliRunner().invoke(app, args, terminal_width=200)
    assert result.exit_code != 0
    message = " ".join(result.output.split())
    assert message, args
    assert "Traceback" not in result.output
    # The user's own value and the data's names (a category list) are shown as they are.
    checker = Checker(data_values(small_warehouse) | ({typed} if typed else set()))
    assert not checker.stray(message, "en"), message
    # One sentence: no stack of lines, at most one full stop inside the message.
    assert len(re.findall(r"[.!?]\s+[A-Z]", message)) <= 1, message
