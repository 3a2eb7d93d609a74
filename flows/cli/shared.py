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

app = typer.Typer(
    help="complaint-insight: product-quality complaint analytics for e-commerce platforms.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True)


@app.callback()
def _root() -> None:
    """complaint-insight: product-quality complaint analytics for e-commerce platforms."""
    # A callback keeps ``complaints <command>`` a group even while only one command is registered.


WarehouseOpt = Annotated[
    Path | None,
    typer.Option(
        "--warehouse",
        envvar="COMPLAINTS_WAREHOUSE",
        help="DuckDB warehouse file (default: data/warehouse.duckdb).",
        show_default=False,
    ),
]
LandingOpt = Annotated[
    Path | None,
    typer.Option(
        "--landing",
        envvar="COMPLAINTS_LANDING",
        help="Folder the exports are read from (default: data/landing).",
        show_default=False,
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Reference time of the build, e.g. '2026-11-26 10:00' (platform time zone) "
        "(default: the latest complaint update or event loaded).",
        show_default=False,
    ),
]


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
            err_console.print(f"[bold red]error:[/] {exc}")
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err_console.print("[bold red]interrupted[/]")
            raise typer.Exit(130) from None
        except Exception as exc:  # the last line of defence: one sentence, not a traceback
            err_console.print(f"[bold red]error:[/] {type(exc).__name__}: {exc}")
            raise typer.Exit(1) from None

    return wrapper
