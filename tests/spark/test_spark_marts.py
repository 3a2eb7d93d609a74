"""``complaints build --engine spark`` on the generated sample: every public mart built on Spark
equals the DuckDB build of the same data (same columns, same number of rows, the same rows,
floats to 1e-9 relative), apart from the run's stamps; the published file serves the readers.

Marts that do not build on Spark yet would be listed in KNOWN_MISSING, with why: the test fails
when a listed one builds (so the list only shrinks) and when any other mart is missing or differs.
"""

from __future__ import annotations

import duckdb
import pytest

from flows.build.serving import serving_path
from tests.spark.compare import KNOWN_MISSING, mart_differences, marts_differences, marts_of

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def both(small_warehouse, spark_built):
    """One connection with the DuckDB build (``duck``) and the Spark build (``spark``)."""
    warehouse, _, _ = spark_built
    con = duckdb.connect()
    con.execute(f"attach '{small_warehouse}' as duck (read_only)")
    con.execute(f"attach '{warehouse}' as spark (read_only)")
    con.execute("set TimeZone = 'UTC'")
    yield con
    con.close()


def test_the_marts_spark_cannot_build_yet_are_exactly_the_known_ones(both):
    duck, spark = marts_of(both, "duck"), marts_of(both, "spark")
    assert set(duck) - set(spark) == set(KNOWN_MISSING)
    assert set(spark) <= set(duck)
    assert len(spark) >= 30


def test_every_mart_built_on_spark_equals_the_duckdb_build(both):
    differences = marts_differences(both)
    assert not differences, "\n".join(differences)
    # The sample exercises the marts: most of them have rows.
    spark = marts_of(both, "spark")
    filled = [
        mart
        for mart in spark
        if both.execute(f'select count(*) from spark.marts."{mart}"').fetchone()[0] > 0
    ]
    assert len(filled) >= 25


def test_the_comparison_sees_a_changed_number(small_warehouse):
    """The check can fail: one weekly defect rate off by 1e-7 relative is a difference."""
    con = duckdb.connect()
    con.execute(f"attach '{small_warehouse}' as duck (read_only)")
    con.execute("attach ':memory:' as spark")
    con.execute("create schema spark.marts")
    con.execute(
        "create table spark.marts.merchant_defect_rates_weekly as "
        "select * from duck.marts.merchant_defect_rates_weekly"
    )
    columns = marts_of(con, "duck")["merchant_defect_rates_weekly"]
    assert mart_differences(con, "merchant_defect_rates_weekly", columns) is None
    con.execute(
        "update spark.marts.merchant_defect_rates_weekly "
        "set defect_rate = defect_rate * (1 + 1e-7) "
        "where rowid = (select min(rowid) from spark.marts.merchant_defect_rates_weekly "
        "where defect_rate > 0)"
    )
    assert mart_differences(con, "merchant_defect_rates_weekly", columns) is not None


def test_the_spark_built_file_serves_the_readers(spark_built, small_warehouse):
    warehouse, _, result = spark_built
    assert result.success
    assert serving_path(warehouse).exists()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        # The statistics macros the DuckDB build persists are there too, the same definitions.
        ours = con.execute("select marts.wilson_low(3, 40), marts.funnel_z_control()").fetchone()
    with duckdb.connect(str(small_warehouse), read_only=True) as con:
        assert (
            con.execute("select marts.wilson_low(3, 40), marts.funnel_z_control()").fetchone()
            == ours
        )


def test_known_missing_marts_say_why():
    # One test over the list, not one per entry: an empty list is then a pass, never a skip.
    assert all(why.strip() for why in KNOWN_MISSING.values())


def test_scorecards_from_the_spark_build_equal_the_duckdb_ones(
    small_warehouse, spark_built, tmp_path
):
    """The week's HTML cards byte for byte, and every cell of every workbook (the workbook
    files themselves carry their creation time)."""
    import openpyxl

    from flows.config import Settings
    from flows.scorecard.produce import read_cards, write_all
    from flows.scorecard.queries import resolve_week

    warehouse, _, _ = spark_built
    settings = Settings()
    week = resolve_week(small_warehouse, None, settings)
    assert resolve_week(warehouse, None, settings) == week
    for name, source in (("duckdb", small_warehouse), ("spark", warehouse)):
        cards = read_cards(source, week, settings, "en")
        write_all(cards, tmp_path / name, settings, "en")
    ours = sorted(p.relative_to(tmp_path / "duckdb") for p in (tmp_path / "duckdb").rglob("*.*"))
    theirs = sorted(p.relative_to(tmp_path / "spark") for p in (tmp_path / "spark").rglob("*.*"))
    assert ours == theirs
    assert any(path.suffix == ".html" for path in ours)
    for path in ours:
        one, other = tmp_path / "duckdb" / path, tmp_path / "spark" / path
        if path.suffix == ".xlsx":
            left, right = openpyxl.load_workbook(one), openpyxl.load_workbook(other)
            assert left.sheetnames == right.sheetnames
            for sheet in left.sheetnames:
                assert [list(r) for r in left[sheet].iter_rows(values_only=True)] == [
                    list(r) for r in right[sheet].iter_rows(values_only=True)
                ], (path, sheet)
        else:
            assert one.read_bytes() == other.read_bytes(), path
