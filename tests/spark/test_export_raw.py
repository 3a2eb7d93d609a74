"""``complaints export-raw``: every table dbt reads as a source, as Parquet, nothing lost."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import yaml
from typer.testing import CliRunner

from flows.cli import _register_commands, app
from flows.spark.export import ORDER_PARTITION

ROOT = Path(__file__).resolve().parents[2]
_register_commands()


def declared_sources() -> set[tuple[str, str]]:
    """(schema, table) of every source the dbt project declares."""
    declared = set()
    for path in (ROOT / "models").rglob("_*__sources.yml"):
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]:
            for table in source["tables"]:
                declared.add((source.get("schema", source["name"]), table["name"]))
    return declared


def test_every_declared_source_is_exported_and_nothing_else(exported):
    _, parquet, tables = exported
    written = {(table.schema, table.table) for table in tables}
    assert declared_sources() == written
    assert not (parquet / "meta" / "pii_key").exists()  # the warehouse's key stays in it
    for schema, table in declared_sources():
        assert any((parquet / schema / table).rglob("*.parquet")), (schema, table)


def test_parquet_equals_the_tables_row_for_row(exported):
    warehouse, parquet, tables = exported
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table in tables:
            files = f"{parquet}/{table.schema}/{table.table}/**/*.parquet"
            read = (
                f"read_parquet('{files}', hive_partitioning = {table.partitioned_by is not None})"
            )
            columns = ", ".join(
                f'"{name}"'
                for (name,) in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [table.schema, table.table],
                ).fetchall()
            )
            source = f'"{table.schema}"."{table.table}"'
            (count,) = con.execute(f"select count(*) from {read}").fetchone()
            assert (
                count == table.rows == con.execute(f"select count(*) from {source}").fetchone()[0]
            )
            for one, other in ((source, read), (read, source)):
                (extra,) = con.execute(
                    f"select count(*) from (select {columns} from {one} "
                    f"except all select {columns} from {other})"
                ).fetchone()
                assert extra == 0, (table.schema, table.table)
        assert any(table.rows > 0 for table in tables if table.schema == "raw")


def test_orders_are_partitioned_by_local_order_month(exported):
    _, parquet, _ = exported
    months = sorted(path.name for path in (parquet / "raw" / "orders").iterdir())
    assert len(months) > 1
    assert all(name.startswith(f"{ORDER_PARTITION}=") for name in months)
    con = duckdb.connect()
    wrong = con.execute(
        f"select count(*) from read_parquet('{parquet}/raw/orders/*/*.parquet', "
        "hive_partitioning = true) "
        f"where strftime(timezone('Asia/Shanghai', ordered_at), '%Y-%m') <> {ORDER_PARTITION}"
    ).fetchone()[0]
    assert wrong == 0
    # Instants stay instants: Spark reads them as TIMESTAMP, DuckDB as TIMESTAMPTZ.
    kind = con.execute(
        f"select typeof(ordered_at) from read_parquet('{parquet}/raw/orders/*/*.parquet') limit 1"
    ).fetchone()[0]
    assert kind == "TIMESTAMP WITH TIME ZONE"


def test_command_rewrites_the_tree_and_reports(exported, tmp_path):
    warehouse, _, tables = exported
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(warehouse, copy)
    dest = tmp_path / "parquet"
    stale = dest / "raw" / "orders" / f"{ORDER_PARTITION}=1999-01"
    stale.mkdir(parents=True)
    (stale / "old.parquet").write_bytes(b"")
    result = CliRunner().invoke(app, ["export-raw", "--to", str(dest), "--warehouse", str(copy)])
    assert result.exit_code == 0, result.output
    assert f"{len(tables)} tables written" in result.output
    assert "partitioned by order_month" in result.output
    assert not stale.exists()  # a table's folder is replaced whole
    assert not list(dest.rglob(".*.writing"))


def test_command_without_warehouse_is_one_sentence(tmp_path):
    result = CliRunner().invoke(
        app,
        ["export-raw", "--to", str(tmp_path / "out"), "--warehouse", str(tmp_path / "no.duckdb")],
    )
    assert result.exit_code == 1
    assert "no warehouse" in result.output
    assert "Traceback" not in result.output
