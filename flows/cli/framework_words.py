"""The words Typer prints itself (help panels, "Usage:", the help option) in the command line's
language.

Typer words its panels through ``gettext`` (``from gettext import gettext as _``) and carries its
own copy of Click whose texts are plain literals; neither ships a Chinese catalogue. This installs
a small one: each Typer module's ``_``, the panel titles Typer computes at import, the help
option's text and the usage prefix. Texts not listed stay as Typer wrote them (rare errors of its
own option parsing); the project's errors come from ``flows.i18n``.
"""

from __future__ import annotations

import importlib
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


def translate_framework(lang: str) -> None:
    """Make Typer speak ``lang`` (only Chinese has a catalogue here; English is Typer's own)."""
    if lang != "zh":
        return

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
