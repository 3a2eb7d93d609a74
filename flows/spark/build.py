"""The dbt build on the Spark target (docs/spark.md): the same project, models and tests, on a
local pyspark session (dbt-spark's ``session`` method) reading the Parquet tree of
``complaints export-raw``.

The session is made here, before dbt asks for one: dbt-spark's ``getOrCreate`` then returns it,
so the build controls its cores, its catalogue (in memory: nothing but the Parquet it writes
outlives the run) and where the tables are written.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from datetime import datetime
from pathlib import Path

from flows.build.incremental import INCREMENTAL_MODELS, INCREMENTAL_SCHEMA
from flows.build.run import BuildResult, build_command, dbt_args, environment
from flows.config import Settings
from flows.errors import UserError
from flows.i18n import because

log = logging.getLogger(__name__)

# Spark settings of the local session; a cluster's are its own (docs/spark.md).
LOCAL_CONF = {
    # Instants compared, cast and written in UTC, as DuckDB stores TIMESTAMPTZ.
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.catalogImplementation": "in-memory",
    # Small data on few cores: a handful of shuffle partitions, not Spark's default 200.
    "spark.sql.shuffle.partitions": "4",
    # The local session runs its tasks in the driver: room for 10M order lines' shuffles.
    "spark.driver.memory": "3g",
    "spark.default.parallelism": "2",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.adaptive.enabled": "true",
    # Instants as Parquet TIMESTAMP (UTC-adjusted micros), not the legacy INT96: the serving
    # DuckDB file and any reader see them as instants again.
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
}


def local_session(warehouse_dir: Path, cores: int = 2):
    """The local SparkSession the Spark target's build runs in (created once per process)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(f"local[{cores}]").appName("complaint-insight")
    for key, value in {**LOCAL_CONF, "spark.sql.warehouse.dir": str(warehouse_dir)}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def spark_vars(
    settings: Settings, parquet_dir: Path, work_dir: Path, as_of: str | None = None
) -> dict:
    """The build's dbt vars plus where the Parquet sources are and where its tables go (its own
    folder: a second build in the same session, e.g. of another warehouse, writes elsewhere)."""
    return {
        **settings.dbt_vars(as_of),
        "parquet_sources": str(Path(parquet_dir).resolve()),
        "spark_tables": str(tables_root(work_dir).resolve()),
    }


def tables_root(work_dir: Path) -> Path:
    """Where a build's tables are written: ``<root>/<schema>.db/<table>``."""
    return Path(work_dir) / "spark-warehouse"


def run_dbt_spark(
    command: list[str],
    parquet_dir: Path,
    work_dir: Path,
    settings: Settings,
    as_of: str | None = None,
    extra_env: dict[str, str] | None = None,
    reattach: tuple[str, ...] = (),
):
    """Invoke dbt in-process on the Spark target; returns dbt's own result object.

    ``reattach``: incremental tables a previous build left under ``work_dir`` to register in this
    session's (in-memory) catalogue first, so dbt adds to them instead of starting over.
    """
    from dbt.cli.main import dbtRunner

    from flows.spark.python_models import register_session_python_models

    register_session_python_models()
    work_dir = Path(work_dir)
    session = local_session(tables_root(work_dir))
    for name in reattach:
        reattach_table(session, work_dir, name)
    args = dbt_args(command, settings, as_of, work_dir / "target", work_dir / "logs")
    at = args.index("--vars")
    args[at + 1] = json.dumps(spark_vars(settings, parquet_dir, work_dir, as_of))
    with environment(extra_env or {}):
        return dbtRunner().invoke(["--quiet", *args, "--target", "spark"])


def table_folder(work_dir: Path, schema: str, table: str) -> Path:
    """Where the local session writes a table's Parquet files."""
    return tables_root(work_dir) / f"{schema}.db" / table


def reattach_table(session, work_dir: Path, name: str) -> None:
    """Register an incremental table of a previous build (its Parquet folder, partitions
    discovered) in this session's catalogue."""
    if session.catalog.tableExists(f"{INCREMENTAL_SCHEMA}.{name}"):
        return  # this process's session built it: the catalogue still has it
    folder = table_folder(work_dir, INCREMENTAL_SCHEMA, name)
    session.sql(f"create database if not exists {INCREMENTAL_SCHEMA}")
    session.sql(
        f"create table {INCREMENTAL_SCHEMA}.{name} using parquet location '{folder.as_posix()}'"
    )
    session.sql(f"msck repair table {INCREMENTAL_SCHEMA}.{name}")


def keep_only_incremental_tables(work_dir: Path) -> None:
    """Remove every table a previous build wrote except the incremental ones (dbt recreates the
    others, and Spark refuses to create a table over a folder that exists)."""
    root = tables_root(work_dir)
    for schema in root.glob("*.db"):
        for table in schema.iterdir():
            keep = schema.name == f"{INCREMENTAL_SCHEMA}.db" and table.name in INCREMENTAL_MODELS
            if not keep:
                shutil.rmtree(table, ignore_errors=True) if table.is_dir() else table.unlink()


def mart_folder(work_dir: Path, table: str) -> Path:
    """Where the local session wrote a mart's Parquet files."""
    return tables_root(work_dir) / "marts.db" / table


def build_on_spark(
    warehouse: Path,
    settings: Settings,
    work_dir: Path,
    as_of: str | None = None,
    force: bool = False,
    full_refresh: bool = False,
    with_tests: bool = True,
) -> BuildResult:
    """``complaints build --engine spark``: the marts built on Spark, published in ``warehouse``.

    On a private copy of the warehouse (published only if everything passed): the sources are
    prepared and exported as Parquet under ``work_dir/parquet``, ``dbt build`` runs on the Spark
    target (models and data tests) writing the marts as Parquet under ``work_dir``, and
    the marts are loaded into the copy's ``marts`` schema with the statistics macros the DuckDB
    build persists, so the dashboards, scorecards, alerts and SQL console read them unchanged.
    Incremental (docs/incremental.md) when the warehouse records a previous Spark build with the
    same settings and its incremental tables are still under ``work_dir``; full otherwise.
    """
    import duckdb

    from flows.build.as_of import check_as_of, loaded_span, parse_as_of
    from flows.build.incremental import plan_build, record_build
    from flows.build.run import failure_message, node_results, prepare_sources
    from flows.spark.export import write_parquet_tree
    from flows.warehouse import publishing

    warehouse, work_dir = Path(warehouse), Path(work_dir)
    if not warehouse.exists():
        raise UserError("err_no_warehouse_ingest", path=warehouse)
    instant = parse_as_of(as_of, settings.timezone) if as_of else None
    with duckdb.connect(str(warehouse), read_only=True) as con:
        span = loaded_span(con)
    check_as_of(instant, span, settings.as_of_max_days_after_data, force)
    started = time.perf_counter()
    with publishing(warehouse) as staging:
        prepare_sources(staging, settings, instant)
        parquet = work_dir / "parquet"
        with duckdb.connect(str(staging), read_only=True) as con:
            write_parquet_tree(con, parquet, settings.timezone)
        effective_as_of = datetime.fromisoformat(instant) if instant else span.latest
        kept = all(
            table_folder(work_dir, INCREMENTAL_SCHEMA, name).is_dir() for name in INCREMENTAL_MODELS
        )
        with duckdb.connect(str(staging)) as con:
            plan = plan_build(con, settings, effective_as_of, full_refresh, "spark", kept)
        log.info("build mode: %s (%s)", "full" if plan.full else "incremental", plan.reason)
        if plan.full:
            shutil.rmtree(tables_root(work_dir), ignore_errors=True)
        else:
            keep_only_incremental_tables(work_dir)
        outcome = run_dbt_spark(
            build_command(settings, with_tests, plan.full),
            parquet,
            work_dir,
            settings,
            instant,
            plan.dbt_env(),
            () if plan.full else INCREMENTAL_MODELS,
        )
        result = BuildResult(
            success=bool(outcome.success),
            seconds=time.perf_counter() - started,
            as_of=instant,
            nodes=node_results(outcome.result),
            incremental=not plan.full,
        )
        if not result.success:
            raise UserError(failure_message(result, outcome.exception))
        load_marts(staging, work_dir)
        persist_functions(staging, settings, work_dir)
        with duckdb.connect(str(staging)) as con:
            record_build(con, plan, effective_as_of, "spark")
    log.info(result.summary())
    return result


def load_marts(database: Path, work_dir: Path) -> list[str]:
    """Replace the ``marts`` schema of ``database`` with the marts Spark wrote as Parquet."""
    import duckdb

    root = tables_root(work_dir) / "marts.db"
    marts = sorted(path.name for path in root.iterdir() if any(path.glob("*.parquet")))
    with duckdb.connect(str(database)) as con:
        con.execute("drop schema if exists marts cascade")
        con.execute("create schema marts")
        for mart in marts:
            files = str(root / mart / "*.parquet").replace("'", "''")
            con.execute(f"create table marts.\"{mart}\" as select * from read_parquet('{files}')")
    return marts


def persist_functions(database: Path, settings: Settings, work_dir: Path) -> None:
    """The statistics macros the DuckDB build persists in ``marts`` (on-run-end), written by the
    same dbt macro into the Spark-built file."""
    from flows.build.run import run_dbt

    outcome = run_dbt(
        ["run-operation", "persist_functions"],
        database,
        settings,
        target_path=Path(work_dir) / "target-duckdb",
        log_path=Path(work_dir) / "logs",
    )
    if not outcome.success:
        raise UserError(
            "err_spark_macros", detail=outcome.exception, reason=because(outcome.exception)
        )
