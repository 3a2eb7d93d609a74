"""What every ``complaints`` subcommand shares: the Typer app, the common options, one-sentence
errors and the settings a command runs with. The command modules (``flows.cli.*``) import this;
``flows.cli`` registers them and runs the app, so no module imports one that imports it back.

Each subcommand is a thin shell over plain functions elsewhere in ``flows``; heavy imports
(Prefect, dbt, Great Expectations) happen inside the commands so ``--help`` stays instant.
Conventions shared by every subcommand: ``--warehouse`` (env ``COMPLAINTS_WAREHOUSE``),
``--landing`` (env ``COMPLAINTS_LANDING``), ``--as-of`` where metrics are built, exit code 0 only
on full success, and errors as one sentence.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from flows.config import Settings, load_settings
from flows.errors import UserError
from flows.i18n import cli_language, say

# Typer fixes help texts when commands register: the language is resolved first, once.
LANG = cli_language()
if LANG != "en":
    from flows.cli.framework_words import translate_framework

    translate_framework(LANG)

app = typer.Typer(
    help=say("app_help"),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True)


@app.callback(help=say("app_help"))
def _root() -> None:
    """complaint-insight: product-quality complaint analytics for e-commerce platforms."""
    # A callback keeps ``complaints <command>`` a group even while only one command is registered.


def option(*names: str, words: str, show_default: bool = False, **settings: Any) -> Any:
    """An option whose help is the catalogue's ``words``; its default is said in that help, so
    Typer does not show it again unless asked."""
    return typer.Option(*names, help=say(words), show_default=show_default, **settings)


WarehouseOpt = Annotated[
    Path | None, option("--warehouse", words="opt_warehouse", envvar="COMPLAINTS_WAREHOUSE")
]
LandingOpt = Annotated[
    Path | None, option("--landing", words="opt_landing", envvar="COMPLAINTS_LANDING")
]
AsOfOpt = Annotated[str | None, option("--as-of", words="opt_as_of")]
# Flags of the commands that build (build, run).
ForceOpt = Annotated[bool, option("--force", words="opt_force", show_default=True)]
VerboseOpt = Annotated[bool, option("--verbose", "-v", words="opt_verbose", show_default=True)]


def settings_for(**paths: Path | str | None) -> Settings:
    """The project settings with any paths given on the command line applied."""
    return load_settings().with_paths(**paths)


def clean_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Report failures as one sentence and a non-zero exit code, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except UserError as exc:
            err_console.print(f"[bold red]{say('error_prefix')}[/] {exc}", highlight=False)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err_console.print(f"[bold red]{say('interrupted')}[/]")
            raise typer.Exit(130) from None
        except Exception as exc:  # the last line of defence: one sentence, not a traceback
            detail = say("err_unexpected", kind=type(exc).__name__, detail=exc)
            err_console.print(f"[bold red]{say('error_prefix')}[/] {detail}", highlight=False)
            raise typer.Exit(1) from None

    return wrapper
