"""The ``complaints`` command line.

Each subcommand is a thin shell over plain functions elsewhere in ``flows``; heavy imports
(Prefect, dbt, Great Expectations) happen inside the commands so ``--help`` stays instant.
Conventions shared by every subcommand: ``--warehouse`` (env ``COMPLAINTS_WAREHOUSE``),
``--landing`` (env ``COMPLAINTS_LANDING``), ``--as-of`` where metrics are built, exit code 0 only
on full success, and errors as one sentence.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from flows.config import TELEMETRY_OFF, Settings, load_settings
from flows.errors import UserError
from flows.file_modes import UMASK

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


def main() -> None:
    """Console-script entry point."""
    os.umask(UMASK)
    for name, value in TELEMETRY_OFF.items():
        os.environ.setdefault(name, value)
    _register_commands()
    app(prog_name="complaints")


def _register_commands() -> None:
    # Imported here so that each command module registers itself on ``app``.
    from flows import commands  # noqa: F401


if __name__ == "__main__":
    sys.exit(main())
