"""The designed edge-case warehouse (tests/models/designed_rows.py) on Spark: working-time
deadlines across the National Day holidays and a make-up Saturday, legal return, exchange and
counterfeit windows, an as_of inside the data. Every public mart equals the DuckDB build of the
same rows, with the same comparison as the generated sample (tests/spark/compare.py)."""

from __future__ import annotations

import duckdb
import pytest

from tests.spark.compare import build_differences

pytestmark = pytest.mark.spark


def test_every_mart_of_the_edge_kit_built_on_spark_equals_the_duckdb_build(designed_on_both):
    duck, spark, result = designed_on_both
    assert result.success
    differences = build_differences(duck, spark)
    assert not differences, "\n".join(differences)


def test_the_edge_kit_reaches_the_marts_it_was_designed_for(designed_on_both):
    """The comparison is not of empty tables: the designed complaints are in the SLA and legal
    marts of the Spark build, working-time stages among them."""
    _, spark, _ = designed_on_both
    with duckdb.connect(str(spark), read_only=True) as con:
        marts = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
        counts = {
            mart: con.execute(f'select count(*) from marts."{mart}"').fetchone()[0]
            for mart in sorted(marts)
        }
    assert counts["legal_entitlement_checks"] > 0 and counts["sla_late_stages"] > 0, counts
    assert sum(1 for n in counts.values() if n > 0) >= 20, counts
