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
