"""The Parquet sources of the session's small generated warehouse, exported once per session
(``complaints export-raw`` on a copy: the export prepares the warehouse as a build would)."""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture(scope="session")
def exported(small_warehouse, tmp_path_factory):
    """(warehouse copy, Parquet folder, the export's tables)."""
    from flows.config import Settings
    from flows.spark.export import export_raw

    folder = tmp_path_factory.mktemp("spark_sources")
    copy = folder / "warehouse.duckdb"
    shutil.copyfile(small_warehouse, copy)
    tables = export_raw(copy, folder / "parquet", Settings())
    return copy, folder / "parquet", tables


@pytest.fixture(scope="session")
def spark_session(tmp_path_factory):
    """The one local Spark session of the test session: every Spark build of the tests runs in
    it (each writing its tables under its own folder), and it is stopped at the end."""
    from flows.spark.build import local_session

    session = local_session(tmp_path_factory.mktemp("spark_session") / "spark-warehouse")
    try:
        yield session
    finally:
        session.stop()


@pytest.fixture(scope="session")
def spark_built(small_warehouse, spark_session, tmp_path_factory):
    """A copy of the small warehouse whose marts ``complaints build --engine spark`` built (the
    local session: export, dbt build of models and data tests, marts loaded and published), and
    the build's result. Built once per session."""
    from flows.config import Settings
    from flows.spark.build import build_on_spark

    folder = tmp_path_factory.mktemp("spark_built")
    copy = folder / "warehouse.duckdb"
    shutil.copyfile(small_warehouse, copy)
    result = build_on_spark(copy, Settings(), folder / "spark")
    return copy, folder / "spark", result


@pytest.fixture(scope="session")
def designed_on_both(spark_session, tmp_path_factory):
    """The designed edge-case warehouse (tests/models/designed_rows.py: working-time targets
    over the holiday calendar, legal entitlement windows, an as_of) built on DuckDB and, from a
    copy of the same raw rows, on Spark: (DuckDB-built file, Spark-built file, Spark's result)."""
    from flows.build.run import build_and_publish
    from flows.config import Settings
    from flows.spark.build import build_on_spark
    from tests.models.designed_rows import DESIGNED_AS_OF, WORKING_TARGETS, make_designed_warehouse

    folder = tmp_path_factory.mktemp("designed_on_both")
    settings = Settings(sla_targets_hours=WORKING_TARGETS)
    (folder / "duck").mkdir()
    (folder / "spark").mkdir()
    duck = make_designed_warehouse(folder / "duck" / "warehouse.duckdb")
    spark = make_designed_warehouse(folder / "spark" / "warehouse.duckdb")
    build_and_publish(
        duck, settings, DESIGNED_AS_OF, target_path=folder / "target", log_path=folder / "logs"
    )
    result = build_on_spark(spark, settings, folder / "spark" / "work", as_of=DESIGNED_AS_OF)
    return duck, spark, result
