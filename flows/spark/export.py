"""``complaints export-raw``: the tables dbt reads as sources, as Parquet files Spark reads.

The ingest stays DuckDB's (docs/spark.md, "Where the engine line falls"): this is the hand-over.
Before exporting, the warehouse gets what a build writes before dbt runs (the working-day
calendar, the segmented descriptions, the unclassified groups), in one atomic publish, so the
Parquet tree holds every source the models read, as the DuckDB build would see it.

Layout: ``DIR/<schema>/<table>/`` per source table the dbt project declares; orders are partitioned
by the month of ``ordered_at`` in the platform time zone (``order_month=YYYY-MM``), so a Spark job
on recent weeks reads recent files only. Every table folder is replaced whole (written beside,
then renamed), so a reader never sees a half-written table.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from flows.config import Settings
from flows.errors import UserError

PROJECT_DIR = Path(__file__).resolve().parents[2]
# Hive-style partition column of the orders export: the local month of the order.
ORDER_PARTITION = "order_month"


@dataclass(frozen=True)
class ExportedTable:
    """One table written as Parquet."""

    schema: str
    table: str
    rows: int
    path: Path
    partitioned_by: str | None = None


def export_raw(warehouse: Path, dest: Path, settings: Settings) -> list[ExportedTable]:
    """Prepare ``warehouse`` as a build would, then write its source tables under ``dest``."""
    from flows.build.run import prepare_sources
    from flows.warehouse import publishing

    warehouse = Path(warehouse)
    if not warehouse.exists():
        raise UserError("err_no_warehouse_ingest", path=warehouse)
    with publishing(warehouse) as staging:
        prepare_sources(staging, settings)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return write_parquet_tree(con, Path(dest), settings.timezone)


def declared_sources() -> list[tuple[str, str]]:
    """(schema, table) of every source the dbt project declares (models/**/_*__sources.yml).

    Only these are exported: what the models read, and nothing else of the warehouse (its PII
    key in meta, say, never leaves the DuckDB file)."""
    import yaml

    declared = set()
    for path in (PROJECT_DIR / "models").rglob("_*__sources.yml"):
        for source in yaml.safe_load(path.read_text(encoding="utf-8")).get("sources", []):
            for table in source.get("tables", []):
                declared.add((source.get("schema", source["name"]), table["name"]))
    return sorted(declared)


def source_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """The declared sources, each checked to be a table of the warehouse."""
    present = set(
        con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where database_name = current_database()"
        ).fetchall()
    )
    missing = [
        f"{schema}.{table}"
        for schema, table in declared_sources()
        if (schema, table) not in present
    ]
    if missing:
        raise UserError("err_missing_sources", tables=", ".join(missing))
    return declared_sources()


def write_parquet_tree(
    con: duckdb.DuckDBPyConnection, dest: Path, timezone: str
) -> list[ExportedTable]:
    """Write every source table of ``con`` under ``dest`` (see the module docstring)."""
    tables = source_tables(con)
    exported = []
    for schema, table in tables:
        final = dest / schema / table
        partial = dest / schema / f".{table}.writing"
        shutil.rmtree(partial, ignore_errors=True)
        partial.parent.mkdir(parents=True, exist_ok=True)
        rows = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
        if (schema, table) == ("raw", "orders"):
            _copy_partitioned(con, schema, table, partial, timezone)
            partition = ORDER_PARTITION
        else:
            partial.mkdir()
            con.execute(
                f'copy (select * from "{schema}"."{table}") '
                f"to '{_sql_path(partial / 'part-0.parquet')}' (format parquet)"
            )
            partition = None
        shutil.rmtree(final, ignore_errors=True)
        partial.rename(final)
        exported.append(ExportedTable(schema, table, rows, final, partition))
    return exported


def _copy_partitioned(
    con: duckdb.DuckDBPyConnection, schema: str, table: str, folder: Path, timezone: str
) -> None:
    """Orders by local order month; an empty table still gets one (empty) file with its schema."""
    (count,) = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()
    month = f"strftime(timezone('{_sql_text(timezone)}', ordered_at), '%Y-%m')"
    if count == 0:
        folder.mkdir()
        con.execute(
            f'copy (select *, cast(null as varchar) as {ORDER_PARTITION} from "{schema}"."{table}")'
            f" to '{_sql_path(folder / 'part-0.parquet')}' (format parquet)"
        )
        return
    con.execute(
        f'copy (select *, {month} as {ORDER_PARTITION} from "{schema}"."{table}") '
        f"to '{_sql_path(folder)}' (format parquet, partition_by ({ORDER_PARTITION}))"
    )


def _sql_text(value: str) -> str:
    return value.replace("'", "''")


def _sql_path(path: Path) -> str:
    return _sql_text(str(path))
