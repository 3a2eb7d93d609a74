"""``complaints export-raw``: the warehouse's source tables as Parquet for the Spark target
(docs/spark.md). A thin shell over ``flows.spark.export``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from flows.cli.shared import WarehouseOpt, app, clean_errors, settings_for
from flows.i18n import say

console = Console()


@app.command("export-raw", help=say("cmd_export_raw"))
@clean_errors
def export_raw_command(
    to: Annotated[Path, typer.Option("--to", help=say("opt_export_to"))],
    warehouse: WarehouseOpt = None,
) -> None:
    """Write the raw, meta and calendar tables as Parquet, the sources of the Spark target."""
    from flows.spark.export import export_raw

    settings = settings_for(warehouse=warehouse)
    tables = export_raw(settings.warehouse, to, settings)
    for table in tables:
        partitioned = (
            say("exported_partitioned", column=table.partitioned_by) if table.partitioned_by else ""
        )
        line = say(
            "exported_table",
            table=f"{table.schema}.{table.table}",
            rows=f"{table.rows:,}",
            partitioned=partitioned,
        )
        console.print(line, highlight=False)
    console.print(say("exported", n=len(tables), path=to), highlight=False)
