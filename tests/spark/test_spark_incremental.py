"""Incremental builds on Spark (docs/incremental.md): the generated sample delivered in slices
(everything before the last day; then the last day, an old week of orders re-delivered with
changed rows, old complaints updated, and another old week's every line re-delivered a week
earlier, which leaves that week empty), a Spark build after the first and an incremental Spark
build after the rest, gives the marts of one full DuckDB build of the same data (which equals a
full Spark build: test_spark_marts.py). Fewer builds than on DuckDB: a Spark build costs minutes.
"""

from __future__ import annotations

import shutil

import pytest

from tests.incremental_slices import deliver, generated_slices, mart_differences

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark_incremental(spark_session, tmp_path_factory):
    """(warehouse built on Spark slice by slice, its DuckDB full rebuild, the Spark results)."""
    from flows.build.run import build_warehouse
    from flows.config import Settings
    from flows.spark.build import build_on_spark

    folder = tmp_path_factory.mktemp("spark_incremental")
    first, *rest = generated_slices(folder, orders=20000, weeks=12, days=1)
    settings = Settings()
    landing, warehouse = folder / "landing", folder / "warehouse.duckdb"
    # In the test session's one Spark session (tests/spark/conftest.py), which stops it.
    results = []
    deliver(first, landing, warehouse, settings)
    results.append(build_on_spark(warehouse, settings, folder / "spark", with_tests=False))
    for part in rest:
        deliver(part, landing, warehouse, settings)
    results.append(build_on_spark(warehouse, settings, folder / "spark", with_tests=False))
    reference = folder / "duckdb_full.duckdb"
    shutil.copyfile(warehouse, reference)
    build_warehouse(
        reference,
        settings,
        full_refresh=True,
        with_tests=False,
        target_path=folder / "target",
        log_path=folder / "logs",
    )
    return warehouse, reference, results, len(rest)


def test_the_second_spark_build_is_incremental(spark_incremental):
    _, _, results, later_slices = spark_incremental
    assert later_slices >= 3  # a day, the re-delivered week, the complaint updates
    assert [result.incremental for result in results] == [False, True]


def test_spark_incremental_marts_equal_a_full_build(spark_incremental):
    warehouse, reference, *_ = spark_incremental
    assert mart_differences(warehouse, reference) == []
