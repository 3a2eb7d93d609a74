"""``complaints export-raw``: the warehouse's source tables as Parquet for the Spark target
(docs/spark.md). A thin shell over ``flows.spark.export``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from flows.cli.shared import WarehouseOpt, app, clean_errors, settings_for

console = Console()


@app.command("export-raw")
@clean_errors
def export_raw_command(
    to: Annotated[
        Path, typer.Option("--to", help="Folder of the Parquet tree (one folder per table).")
    ],
    warehouse: WarehouseOpt = None,
) -> None:
    """Write the raw, meta and calendar tables as Parquet, the sources of the Spark target."""
    from flows.spark.export import export_raw

    settings = settings_for(warehouse=warehouse)
    tables = export_raw(settings.warehouse, to, settings)
    for table in tables:
        partitioned = f", partitioned by {table.partitioned_by}" if table.partitioned_by else ""
        console.print(
            f"  {table.schema}.{table.table}: {table.rows:,} rows{partitioned}", highlight=False
        )
    console.print(f"{len(tables)} tables written under {to}", highlight=False)
