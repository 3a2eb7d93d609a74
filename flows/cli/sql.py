"""``complaints sql``: an analyst's ad-hoc query over the marts from the terminal.

The same execution as the dashboard's SQL console (``flows/console.py``): the analysts' copy of the
warehouse (marts only, no personal keys) in a worker process with memory, temp-space and thread
caps, a time limit and a row cap. Output is a table for people or CSV for pipes.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from flows import formatting as fmt
from flows.cli.shared import WarehouseOpt, app, clean_errors, settings_for
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
    from flows.build.serving import serving_path
    from flows.console import limits_from, run_query

    settings = settings_for(warehouse=warehouse)
    if not settings.warehouse.exists():
        raise UserError(f"no warehouse at {settings.warehouse}: run 'complaints run' first")
    text = sys.stdin.read() if query == "-" else query
    limits = limits_from(settings, timeout_seconds=timeout, max_rows=max_rows)
    result = run_query(serving_path(settings.warehouse), text, limits)
    if result.error is not None:
        raise UserError(f"query refused or failed: {result.error}")
    frame = result.frame
    if output is OutputFormat.csv:
        frame.to_csv(sys.stdout, index=False, float_format=fmt.plain_float)
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
