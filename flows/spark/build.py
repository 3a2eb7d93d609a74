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
from pathlib import Path

from flows.build.run import BuildResult, dbt_args
from flows.config import Settings
from flows.errors import UserError

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


# dbt build on Spark: every model and data test. The unit tests' fixtures are DuckDB SQL still
# (docs/spark.md, "Not yet on Spark"): they run on the DuckDB build only, for now.
SPARK_BUILD = ["build", "--exclude-resource-type", "unit_test"]


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
):
    """Invoke dbt in-process on the Spark target; returns dbt's own result object."""
    from dbt.cli.main import dbtRunner

    from flows.spark.python_models import register_session_python_models

    register_session_python_models()
    work_dir = Path(work_dir)
    local_session(tables_root(work_dir))
    args = dbt_args(command, settings, as_of, work_dir / "target", work_dir / "logs")
    at = args.index("--vars")
    args[at + 1] = json.dumps(spark_vars(settings, parquet_dir, work_dir, as_of))
    return dbtRunner().invoke(["--quiet", *args, "--target", "spark"])


def mart_folder(work_dir: Path, table: str) -> Path:
    """Where the local session wrote a mart's Parquet files."""
    return tables_root(work_dir) / "marts.db" / table


def build_on_spark(
    warehouse: Path,
    settings: Settings,
    work_dir: Path,
    as_of: str | None = None,
    force: bool = False,
) -> BuildResult:
    """``complaints build --engine spark``: the marts built on Spark, published in ``warehouse``.

    On a private copy of the warehouse (published only if everything passed): the sources are
    prepared and exported as Parquet under ``work_dir/parquet``, ``dbt build`` runs on the Spark
    target (models and data tests) writing the marts as Parquet under ``work_dir``, and
    the marts are loaded into the copy's ``marts`` schema with the statistics macros the DuckDB
    build persists, so the dashboards, scorecards, alerts and SQL console read them unchanged.
    """
    import duckdb

    from flows.build.as_of import check_as_of, loaded_span, parse_as_of
    from flows.build.run import failure_message, node_results, prepare_sources
    from flows.spark.export import write_parquet_tree
    from flows.warehouse import publishing

    warehouse, work_dir = Path(warehouse), Path(work_dir)
    if not warehouse.exists():
        raise UserError(f"no warehouse at {warehouse}: run 'complaints ingest' first")
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
        shutil.rmtree(tables_root(work_dir), ignore_errors=True)
        outcome = run_dbt_spark(SPARK_BUILD, parquet, work_dir, settings, instant)
        result = BuildResult(
            success=bool(outcome.success),
            seconds=time.perf_counter() - started,
            as_of=instant,
            nodes=node_results(outcome.result),
        )
        if not result.success:
            raise UserError(failure_message(result, outcome.exception))
        load_marts(staging, work_dir)
        persist_functions(staging, settings, work_dir)
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
        raise UserError(f"writing the statistics macros failed: {outcome.exception}")
