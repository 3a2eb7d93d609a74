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

import ast
import enum
import json
import os
import re
import string
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
import typer

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
# Parse errors of Typer and its bundled Click, and the generator's checks, run without a
# --warehouse: (arguments, what the user typed, words of the zh message, words of the en message).
PARSE_CASES: list[tuple[list[str], str, str, str]] = [
    (
        ["build", "--warehose", "x"],
        "warehose",
        "没有选项 --warehose；您是不是要输入 --verbose, --warehouse？",
        "No such option: --warehose (Possible options: --verbose, --warehouse)",
    ),
    (["export-raw"], "", "缺少选项 '--to'", "Missing option '--to'"),
    (["sql"], "", "缺少参数 'query'", "Missing argument 'query'"),
    (
        ["generate", "--orders", "abc"],
        "abc",
        "'--orders' 的值无效：应为整数",
        "Invalid value for '--orders'",
    ),
    (
        ["generate", "--dirty-rate", "x"],
        "x",
        "'--dirty-rate' 的值无效：应为数字",
        "Invalid value for '--dirty-rate'",
    ),
    (
        ["generate", "--orders"],
        "",
        "选项 '--orders' 需要一个值",
        "Option '--orders' requires an argument",
    ),
    (["build", "extra"], "extra", "多余的参数：extra", "Got unexpected extra argument"),
    (
        ["buidl"],
        "buidl",
        "没有命令 'buidl'；您是不是要输入 'build'",
        "No such command 'buidl'. Did you mean 'build'",
    ),
]
# The generator's own checks of its options (UserError, worded from the catalogue).
USER_CASES: list[tuple[list[str], str, str, str]] = [
    (
        ["generate", "--orders", "50"],
        "",
        "--orders 至少为 100 行订单",
        "--orders must be at least 100",
    ),
    (
        ["generate", "--weeks", "0"],
        "",
        "--weeks 须在 1 到 520 之间",
        "--weeks must be between 1 and 520",
    ),
    (
        ["generate", "--encoding", "gbk", "--format", "xlsx"],
        "",
        "只适用于 CSV",
        "applies to csv only",
    ),
    (
        ["generate", "--dirty-rate", "0.5"],
        "",
        "--dirty-rate 须在 0 到 0.2 之间",
        "--dirty-rate must be between",
    ),
]
# Mistakes in complaints.yml (file content, typed value, zh words, en words), shown by 'build'.
CONFIG_CASES: list[tuple[str, str, str, str]] = [
    ("bogus_setting: 1\n", "", "未知的设置项 bogus_setting", "unknown setting(s) bogus_setting"),
    (
        'working_hours_start: "9h"\n',
        "",
        "working_hours_start 须为 24 小时制的 'HH:MM'",
        "working_hours_start must be HH:MM (24 h)",
    ),
    ("sla_targets_hours:\n  acknowledge: -2\n", "", "SLA 目标须为正数", "must be positive"),
]
# Click raises this one before it knows the command: no usage line, no help hint.
NO_USAGE = {("generate", "--orders")}
# Typer's choice and path checks, which no command of the project uses yet: a small app of the
# same framework, translated the same way (arguments, typed, zh words, en words).
TOY_CASES: list[tuple[list[str], str, str, str]] = [
    (["no/such/file"], "", "'src' 的值无效：路径 'no/such/file' 不存在", "does not exist"),
    (["{csv}", "--fmt", "pdf"], "pdf", "'--fmt' 的值无效：'pdf' 不在可选值", "is not one of"),
    (["{csv}", "--kind", "c"], "", "'--kind' 的值无效：'c' 不在可选值", "is not one of"),
    (["{csv}", "--folder", "{csv}"], "", "是文件，而不是文件夹", "is a file"),
    (["{csv}", "--n", "x"], "x", "'--n' 的值无效：应为整数", "Invalid value for '--n'"),
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


class _Fmt(enum.StrEnum):
    csv = "csv"
    xlsx = "xlsx"


def _toy_app() -> typer.Typer:
    """A command with a path argument, an int, an enum and a literal choice, for Typer's checks."""
    toy = typer.Typer(add_completion=False)

    @toy.command()
    def main(
        src: Annotated[Path, typer.Argument(exists=True)],
        n: int = 1,
        fmt: _Fmt = _Fmt.csv,
        kind: Literal["a", "b"] = "a",
        folder: Annotated[Path, typer.Option(file_okay=False)] = Path("."),
    ) -> None:
        """Do nothing: only the arguments' checks matter."""

    return toy


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
    parse = []
    for args, *_ in PARSE_CASES:
        result = runner.invoke(app, args, terminal_width=200, prog_name="complaints")
        parse.append((args, result.exit_code, result.output))
    user = []
    for args, *_ in USER_CASES:
        result = runner.invoke(app, args, terminal_width=200, prog_name="complaints")
        user.append((args, result.exit_code, result.output))
    config = []
    for n, (content, *_) in enumerate(CONFIG_CASES):
        path = Path(out).with_name(f"complaints-{n}.yml")
        path.write_text(content, encoding="utf-8")
        args = ["build", "--warehouse", warehouse]
        result = runner.invoke(app, args, env={"COMPLAINTS_CONFIG": str(path)}, terminal_width=200)
        config.append((args, result.exit_code, result.output))
    toy = []
    for args, *_ in TOY_CASES:
        args = [a.replace("{csv}", csv) for a in args]
        result = runner.invoke(_toy_app(), args, terminal_width=200, prog_name="complaints")
        toy.append((args, result.exit_code, result.output))
    words = {w for token in _tree_tokens(command) for w in re.findall(r"[A-Za-z]+", token)}
    words |= {"src", "n", "fmt", "kind", "folder"}  # the small app's parameters
    found = {
        "helps": helps,
        "errors": errors,
        "parse": parse,
        "user": user,
        "config": config,
        "toy": toy,
        "tokens": sorted(words),
    }
    Path(out).write_text(json.dumps(found), encoding="utf-8")


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
            env={**os.environ, "COMPLAINTS_LANG": lang, "COLUMNS": "200"},  # words unwrapped
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


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", ["parse", "toy", "user", "config"])
def test_parse_errors_speak_one_language(walks, lang, kind):
    """Typer's and Click's own errors: the message, the usage and help lines, the panel title."""
    walked = walks[lang]
    cases = {
        "parse": PARSE_CASES,
        "toy": TOY_CASES,
        "user": USER_CASES,
        "config": CONFIG_CASES,
    }[kind]
    found = {}
    for (args, code, output), (_, typed, zh, en) in zip(walked[kind], cases, strict=True):
        assert code != 0, (args, output)
        message = " ".join(output.split())
        assert "Traceback" not in output, (args, output)
        assert (zh if lang == "zh" else en) in message, (args, message)
        if kind in (
            "parse",
            "toy",
        ):  # Typer's frame: the panel title, the usage line and the help hint
            title = "─ 错误 ─" if lang == "zh" else "─ Error ─"
            assert title in message, (args, message)
            usage = ("用法：", "查看帮助") if lang == "zh" else ("Usage:", "for help.")
            if kind == "parse" and tuple(args) not in NO_USAGE:
                assert all(words in message for words in usage), (args, message)
        checker = _checker(walked, {typed} if typed else set(), lang)
        if stray := _stray(checker, message, lang):
            found[" ".join(args)] = stray
    assert not found, found


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_catalogue_message_speaks_one_language(walks):
    """Every message of the catalogue, its values left out: nothing but allowed terms and
    typed tokens in Latin letters in Chinese, no CJK in English (the errors no test provokes)."""
    from flows.i18n import MESSAGES

    found = {}
    for lang, index in (("zh", 0), ("en", 1)):
        checker = _checker(walks[lang], set(), lang)
        for key, words in MESSAGES.items():
            text = words[index].format(**{name: "1" for name in _placeholders(words[index])})
            text = re.sub(r"https?://\S+", " ", text)  # an address to open
            if key == "err_calendar_beyond" and lang == "en":
                text = text.replace("调休", "")  # the calendar's own word for a swapped workday
            if stray := _stray(checker, text, lang):
                found[f"{lang} {key}"] = stray
    assert not found, found
    assert all(_placeholders(zh) <= _placeholders(en) | {"reason"} for zh, en in MESSAGES.values())


def _user_error_texts() -> list[tuple[str, int, str]]:
    """Every ``UserError(…)`` or ``ConfigError(…)`` whose first argument is written in place
    rather than a key."""
    from flows.i18n import MESSAGES

    found = []
    for path in [*ROOT.glob("flows/**/*.py"), *ROOT.glob("dashboards/**/*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None))
                in ("UserError", "ConfigError")
                and node.args
            ):
                continue
            first = node.args[0]
            keyed = isinstance(first, ast.Constant) and first.value in MESSAGES
            worded = isinstance(first, ast.Call)  # a function that words it from the catalogue
            if not (keyed or worded):
                found.append((str(path.relative_to(ROOT)), node.lineno, ast.unparse(first)))
    return found


def test_every_user_error_comes_from_the_catalogue():
    """A message written in place would stay in English in Chinese: each is a catalogue key."""
    assert not _user_error_texts()


def test_the_languages_differ(walks):
    """The same error, worded from the one catalogue in each language."""
    zh, en = (walks[lang]["errors"][0][2] for lang in LANGS)
    assert "类目" in zh and "category" in en


def test_the_checks_can_fail():
    zh = Checker([], PRODUCT_NAMES | {"complaints", "category"})
    assert _stray(zh, "--category 只生成该类目 to write", "zh")  # "to", "write"
    assert not _stray(zh, "请先运行 'complaints run'，见 data/warehouse.duckdb", "zh")
    assert _stray(Checker([]), "--category  类目 to write", "en")
