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
from flows.cli.shared import LANG, WarehouseOpt, app, clean_errors, settings_for
from flows.errors import UserError
from flows.i18n import say, sql_error_label


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"


@app.command("sql", help=say("cmd_sql"))
@clean_errors
def sql_command(
    query: Annotated[str, typer.Argument(help=say("arg_query"))],
    warehouse: WarehouseOpt = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help=say("opt_sql_format"))
    ] = OutputFormat.table,
    max_rows: Annotated[int | None, typer.Option(help=say("opt_max_rows"))] = None,
    timeout: Annotated[
        float | None,
        typer.Option(help=say("opt_timeout")),
    ] = None,
) -> None:
    """Query the marts read-only (no files, no writes, time limit, row cap)."""
    from flows.build.serving import serving_path
    from flows.console import limits_from, run_query
    from flows.warehouse import require_duckdb_file

    settings = settings_for(warehouse=warehouse)
    if not settings.warehouse.exists():
        raise UserError("err_no_warehouse_run", path=settings.warehouse)
    require_duckdb_file(settings.warehouse)  # an export passed as --warehouse, said so
    text = sys.stdin.read() if query == "-" else query
    limits = limits_from(settings, timeout_seconds=timeout, max_rows=max_rows)
    result = run_query(serving_path(settings.warehouse), text, limits)
    if result.error is not None:
        raise UserError("err_sql", message=sql_error_label(result.error, LANG))
    frame = result.frame
    if output is OutputFormat.csv:
        # NULL is an empty field (pandas' default), never "nan"; instants carry the platform zone.
        frame.to_csv(sys.stdout, index=False, float_format=fmt.plain_float, na_rep="")
    else:
        table = Table(show_lines=False)
        for column in frame.columns:
            table.add_column(str(column))
        for row in frame.itertuples(index=False):
            table.add_row(*(fmt.DASH if fmt.is_missing(value) else str(value) for value in row))
        Console().print(table)
    note = say("sql_rows", n=len(frame), seconds=f"{result.seconds:.2f}")
    if result.truncated:
        note += say("sql_cut", n=len(frame))
    Console(stderr=True).print(note, highlight=False)
