"""The words Typer prints itself (help panels, "Usage:", the help option) in the command line's
language.

Typer words its panels through ``gettext`` (``from gettext import gettext as _``) and carries its
own copy of Click whose texts are plain f-strings (no gettext domain to install a catalogue for);
neither ships Chinese. This installs a small catalogue: each Typer module's ``_``, the panel
titles Typer computes at import, the help option's text and the usage prefix; and, for the parse
errors (no such option or command with its suggestions, missing argument or option, invalid
int/number/choice/path, extra arguments), a wording of the whole message where Typer prints it
(``rich_format_error``). A parse error not listed is framed in Chinese with Click's words quoted
("原因：…"); the project's own errors come from ``flows.i18n``.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

# Typer's own texts (as it writes them) → Chinese.
ZH: dict[str, str] = {
    "Show this message and exit.": "显示本帮助并退出。",
    "Usage: ": "用法：",
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "Error": "错误",
    "Aborted.": "已中止。",
    "Aborted!": "已中止！",
    "[default: {}]": "[默认：{}]",
    "[env var: {}]": "[环境变量：{}]",
    "[required]": "[必填]",
    "(deprecated) ": "（已弃用）",
    "(dynamic)": "（动态）",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "Try [blue]'{command_path} {help_option}'[/] for help.": (
        "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。"
    ),
}
_TYPER_TITLES = {
    "DEPRECATED_STRING": "(deprecated) ",
    "DEFAULT_STRING": "[default: {}]",
    "ENVVAR_STRING": "[env var: {}]",
    "REQUIRED_LONG_STRING": "[required]",
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands",
    "ERRORS_PANEL_TITLE": "Error",
    "ABORTED_TEXT": "Aborted.",
    "RICH_HELP": "Try [blue]'{command_path} {help_option}'[/] for help.",
}

# Typer's bundled Click writes its parse errors as plain f-strings (no gettext to hook), and
# Typer's pydantic-based coercion adds pydantic's own words: each error is matched whole and
# worded again in Chinese, the option names, values and paths it quotes kept as typed.
_VALUE_ERRORS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"Input should be a valid integer\b.*"), "应为整数"),
    (re.compile(r"Input should be a valid number\b.*"), "应为数字"),
    (re.compile(r"Input should be a valid boolean\b.*"), "应为 'true' 或 'false'"),
    (re.compile(r"Input should be a valid date\b.*"), "应为日期，如 '2026-11-24'"),
    (re.compile(r"Input should be a valid datetime\b.*"), "应为时间，如 '2026-11-24 10:00'"),
    (re.compile(r"Input should be (?P<choices>'.*')"), "只能是 {choices}"),
    (
        re.compile(r"(?P<value>.+) is not one of (?P<choices>.+)\."),
        "{value} 不在可选值 {choices} 之中",
    ),
    *(
        (re.compile(rf"{kind} (?P<path>.+) {english}\."), zh.replace("{kind}", kind_zh))
        # Typer names the parameter's kind: a file, a folder ("dir") or either ("path").
        for kind, kind_zh in (("file", "文件"), ("dir", "文件夹"), ("path", "路径"))
        for english, zh in (
            ("does not exist", "{kind} {path} 不存在"),
            ("is a file", "{kind} {path} 是文件，而不是文件夹"),
            ("is a directory", "{kind} {path} 是文件夹，而不是文件"),
            ("is not readable", "{kind} {path} 不可读"),
            ("is not writable", "{kind} {path} 不可写"),
        )
    ),
    (
        re.compile(r"(?P<value>.+) does not match the formats (?P<formats>.+)\."),
        "{value} 不符合格式 {formats}",
    ),
    (
        re.compile(r"Value (?P<value>.+) is not a valid (?P<kind>\w+)\."),
        "值 {value} 无效（应为 {kind}）",
    ),
]
_ERRORS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"No such option: (?P<option>\S+)(?: \(Possible options: (?P<options>.+)\))?"),
        "没有选项 {option}",
    ),
    (
        re.compile(r"No such command (?P<name>.+?)\.(?: Did you mean (?P<options>.+)\?)?"),
        "没有命令 {name}",
    ),
    (re.compile(r"Missing option (?P<name>.+)\."), "缺少选项 {name}"),
    (re.compile(r"Missing argument (?P<name>.+)\."), "缺少参数 {name}"),
    (re.compile(r"Missing parameter (?P<name>.+)\."), "缺少参数 {name}"),
    (re.compile(r"Missing command\."), "缺少命令"),
    (re.compile(r"Invalid value for (?P<name>.+?): (?P<value>.+)"), "{name} 的值无效：{value}"),
    (re.compile(r"Invalid value: (?P<value>.+)"), "值无效：{value}"),
    (
        re.compile(r"Got unexpected extra argument(?:\(s\)|s)? \((?P<args>.+)\)"),
        "多余的参数：{args}",
    ),
    (re.compile(r"Option (?P<name>.+) requires an argument\."), "选项 {name} 需要一个值"),
    (
        re.compile(r"Option (?P<name>.+) requires (?P<n>\d+) arguments\."),
        "选项 {name} 需要 {n} 个值",
    ),
    (re.compile(r"Option (?P<name>.+) does not take a value\."), "选项 {name} 不接受值"),
]
_DID_YOU_MEAN = "；您是不是要输入 {options}？"


def _value_words(text: str) -> str:
    text = text.removeprefix("Value error, ")  # pydantic's frame around a validator's words
    for pattern, words in _VALUE_ERRORS:
        if match := pattern.fullmatch(text):
            found = match.groupdict()
            return words.format(**found)
    return f"（原因：{text}）"  # a library's own words, quoted as they are


def error_words(message: str) -> str:
    """A Click or Typer parse error in Chinese; one this does not know is quoted as it is."""
    text = " ".join(message.split())
    for pattern, words in _ERRORS:
        if match := pattern.fullmatch(text):
            found = match.groupdict()
            if found.get("value") is not None:
                found["value"] = _value_words(found["value"])
            said = words.format(**found)
            if found.get("options"):
                said += _DID_YOU_MEAN.format(options=found["options"])
            return said
    return f"命令行解析出错（原因：{message}）"


_TRANSLATED: set[str] = set()


def translate_framework(lang: str) -> None:
    """Make Typer speak ``lang`` (only Chinese has a catalogue here; English is Typer's own).

    Once per process: a second call would wrap the wrapped functions again."""
    if lang != "zh" or lang in _TRANSLATED:
        return
    _TRANSLATED.add(lang)

    def words(message: str) -> str:
        return ZH.get(message, message)

    for name in ("core", "rich_utils"):
        module = importlib.import_module(f"typer.{name}")
        module._ = words  # type: ignore[attr-defined]
    rich_utils = importlib.import_module("typer.rich_utils")
    for attribute, message in _TYPER_TITLES.items():
        setattr(rich_utils, attribute, ZH[message])

    command = importlib.import_module("typer._click.core").Command
    formatter = importlib.import_module("typer._click.formatting").HelpFormatter
    help_option = command.get_help_option
    write_usage = formatter.write_usage

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = help_option(self, ctx)
        if option is not None:
            option.help = ZH["Show this message and exit."]
        return option

    def write_usage_zh(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, ZH["Usage: "] if prefix is None else prefix)

    command.get_help_option = get_help_option
    formatter.write_usage = write_usage_zh

    format_error = rich_utils.rich_format_error

    def rich_format_error_zh(error: Any) -> None:
        worded = error_words(error.format_message())
        error.format_message = lambda: worded
        format_error(error)

    rich_utils.rich_format_error = rich_format_error_zh
