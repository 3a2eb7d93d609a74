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
def spark_built(small_warehouse, tmp_path_factory):
    """A copy of the small warehouse whose marts ``complaints build --engine spark`` built (the
    local session: export, dbt build of models and data tests, marts loaded and published), and
    the build's result. Built once per session; the Spark session is stopped afterwards."""
    from flows.config import Settings
    from flows.spark.build import build_on_spark

    folder = tmp_path_factory.mktemp("spark_built")
    copy = folder / "warehouse.duckdb"
    shutil.copyfile(small_warehouse, copy)
    try:
        result = build_on_spark(copy, Settings(), folder / "spark")
        yield copy, folder / "spark", result
    finally:
        from pyspark.sql import SparkSession

        active = SparkSession.getActiveSession()
        if active is not None:
            active.stop()
