"""``complaints sql``: an analyst's ad-hoc query over the marts from the terminal.

The same guards as the dashboard's SQL console (``dashboards/sql_console.py``): a read-only
connection with external access disabled and configuration locked, one SELECT over ``marts``
tables, a time limit and a row cap. Output is a table for people or CSV for pipes.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from flows.cli import WarehouseOpt, app, clean_errors, settings_for
from flows.errors import UserError


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"


@app.command("sql")
@clean_errors
def sql_command(
    query: Annotated[
        str, typer.Argument(help="One SELECT over the marts; '-' reads it from stdin.")
    ],
    warehouse: WarehouseOpt = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table (default) or csv.")
    ] = OutputFormat.table,
    max_rows: Annotated[int | None, typer.Option(help="Row cap (default from config).")] = None,
    timeout: Annotated[
        float | None,
        typer.Option(help="Seconds before the query is stopped (default from config)."),
    ] = None,
) -> None:
    """Query the marts read-only (no files, no writes, time limit, row cap)."""
    from dashboards.sql_console import run_query

    settings = settings_for(warehouse=warehouse)
    if not settings.warehouse.exists():
        raise UserError(f"no warehouse at {settings.warehouse}: run 'complaints run' first")
    text = sys.stdin.read() if query == "-" else query
    result = run_query(
        settings.warehouse,
        text,
        timeout_seconds=timeout or settings.sql_console_timeout_seconds,
        max_rows=max_rows or settings.sql_console_max_rows,
    )
    if result.error is not None:
        raise UserError(f"query refused or failed: {result.error}")
    frame = result.frame
    if output is OutputFormat.csv:
        frame.to_csv(sys.stdout, index=False)
    else:
        table = Table(show_lines=False)
        for column in frame.columns:
            table.add_column(str(column))
        for row in frame.itertuples(index=False):
            table.add_row(*("" if value is None else str(value) for value in row))
        Console().print(table)
    note = f"{len(frame)} row(s) in {result.seconds:.2f} s"
    if result.truncated:
        note += f" (cut at {len(frame)} rows: raise --max-rows or narrow the query)"
    Console(stderr=True).print(note, highlight=False)
