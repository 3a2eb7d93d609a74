"""``complaints build --engine spark`` on the generated sample: every public mart built on Spark
equals the DuckDB build of the same data (same columns, same number of rows, the same rows,
floats to 1e-9 relative), apart from the run's stamps; the published file serves the readers.

Marts that do not build on Spark yet would be listed in KNOWN_MISSING, with why: the test fails
when a listed one builds (so the list only shrinks) and when any other mart is missing or differs.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import duckdb
import pytest

from flows.build.serving import serving_path

pytestmark = pytest.mark.spark

# Stamps of a run, not numbers of the data (as benchmarks/marts_snapshot.py).
RUN_STAMPS = {
    "built_at",
    "invocation_id",
    "ingested_at",
    "file_mtime_ns",
    "quarantined_at",
    "warned_at",
    "latest_ingested_at",
    "validated_at",
}
# Compared to 1e-9 relative: DuckDB's doubles, and the decimals whose scale differs by engine.
INEXACT_TYPES = ("DOUBLE", "FLOAT", "REAL", "DECIMAL")

# Marts that do not build on Spark yet: mart -> why. The one place that says so.
KNOWN_MISSING: dict[str, str] = {}
# Columns that differ between the engines, known and not fixed yet: (mart, column) -> why.
KNOWN_DIFFERENT: dict[tuple[str, str], str] = {}


def marts_of(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, dict[str, str]]:
    """mart -> {column: type} of the ``marts`` schema of an attached database."""
    out: dict[str, dict[str, str]] = {}
    for table, column, kind in con.execute(
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_catalog = ? and table_schema = 'marts' order by table_name, ordinal_position",
        [catalog],
    ).fetchall():
        out.setdefault(table, {})[column] = kind
    return out


def _comparable(value):
    """A sortable, engine-neutral form of one cell."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return (0, "")
    if isinstance(value, bool):
        return (1, value)
    if isinstance(value, int | float | Decimal):
        return (2, float(value))
    if isinstance(value, dt.datetime):
        return (3, value.isoformat() if value.tzinfo is None else value.timestamp())
    if isinstance(value, dt.date):
        return (4, value.isoformat())
    if isinstance(value, list | tuple):
        return (5, tuple(_comparable(item) for item in value))
    return (6, str(value))


def same_cell(left, right, inexact: bool) -> bool:
    a, b = _comparable(left), _comparable(right)
    if inexact and a[0] == b[0] == 2:
        return math.isclose(a[1], b[1], rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def sorted_rows(con, relation: str, columns: list[str], inexact: set[str]) -> list[tuple]:
    """Rows ordered by their exact columns first, then by their inexact ones rounded."""
    names = ", ".join(f'"{name}"' for name in columns)
    rows = con.execute(f"select {names} from {relation}").fetchall()
    exact = [i for i, name in enumerate(columns) if name not in inexact]
    rounded = [i for i, name in enumerate(columns) if name in inexact]

    def key(row):
        return (
            tuple(_comparable(row[i]) for i in exact),
            tuple(
                (0, round(float(row[i]), 6)) if _comparable(row[i])[0] == 2 else (1, 0.0)
                for i in rounded
            ),
        )

    return sorted(rows, key=key)


def mart_differences(con, mart: str, columns: dict[str, str]) -> str | None:
    """What differs between ``duck.marts.<mart>`` and ``spark.marts.<mart>``, or None."""
    names = [
        name for name in columns if name not in RUN_STAMPS and (mart, name) not in KNOWN_DIFFERENT
    ]
    inexact = {name for name in names if columns[name].startswith(INEXACT_TYPES)}
    ours = sorted_rows(con, f'duck.marts."{mart}"', names, inexact)
    theirs = sorted_rows(con, f'spark.marts."{mart}"', names, inexact)
    if len(ours) != len(theirs):
        return f"{mart}: {len(ours)} rows on DuckDB, {len(theirs)} on Spark"
    for one, other in zip(ours, theirs, strict=True):
        bad = [
            f"{name}={one[i]!r} vs {other[i]!r}"
            for i, name in enumerate(names)
            if not same_cell(one[i], other[i], name in inexact)
        ]
        if bad:
            return f"{mart}: first differing row: {'; '.join(bad[:4])}"
    return None


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
    duck, spark = marts_of(both, "duck"), marts_of(both, "spark")
    differences = []
    for mart, columns in sorted(duck.items()):
        if mart in KNOWN_MISSING:
            continue
        if set(spark.get(mart, {})) != set(columns):
            differences.append(f"{mart}: columns differ {sorted(set(spark[mart]) ^ set(columns))}")
            continue
        found = mart_differences(both, mart, columns)
        if found:
            differences.append(found)
    assert not differences, "\n".join(differences)
    # The sample exercises the marts: most of them have rows.
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


@pytest.mark.xfail(
    strict=True,
    reason="known difference, not fixed yet: a card's SKU list and one SKU's week order lines "
    "differ between the engines (e.g. 家居家装/M00074), and data-value attributes differ in the "
    "17th digit; the marts themselves agree "
    "(test_every_mart_built_on_spark_equals_the_duckdb_build)",
)
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
