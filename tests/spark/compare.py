"""The comparison of two builds of the same data, one on DuckDB and one on Spark
(tests/mart_comparison.py), and the differences known between the engines."""

from __future__ import annotations

from pathlib import Path

import duckdb

from flows.warehouse import RUN_STAMP_COLUMNS
from tests.mart_comparison import INEXACT_TYPES, marts_of, table_differences

# Marts that do not build on Spark yet: mart -> why. The one place that says so.
KNOWN_MISSING: dict[str, str] = {}
# Columns that differ between the engines, known and not fixed yet: (mart, column) -> why.
KNOWN_DIFFERENT: dict[tuple[str, str], str] = {}


def mart_differences(con, mart: str, columns: dict[str, str]) -> str | None:
    """What differs between ``duck.marts.<mart>`` and ``spark.marts.<mart>``, or None."""
    names = [
        name
        for name in columns
        if name not in RUN_STAMP_COLUMNS and (mart, name) not in KNOWN_DIFFERENT
    ]
    inexact = {name for name in names if columns[name].startswith(INEXACT_TYPES)}
    return table_differences(
        con, mart, f'duck.marts."{mart}"', f'spark.marts."{mart}"', names, inexact
    )


def build_differences(duckdb_built: Path, spark_built: Path) -> list[str]:
    """What differs between the marts of the two warehouse files (empty when they agree)."""
    with duckdb.connect() as con:
        con.execute(f"attach '{duckdb_built}' as duck (read_only)")
        con.execute(f"attach '{spark_built}' as spark (read_only)")
        con.execute("set TimeZone = 'UTC'")
        return marts_differences(con)


def marts_differences(con: duckdb.DuckDBPyConnection) -> list[str]:
    """What differs between the ``duck`` and the ``spark`` catalogues' marts."""
    duck, spark = marts_of(con, "duck"), marts_of(con, "spark")
    differences = [f"{mart}: not built on Spark" for mart in sorted(set(duck) - set(spark))
                   if mart not in KNOWN_MISSING]  # fmt: skip
    differences += [f"{mart}: only on Spark" for mart in sorted(set(spark) - set(duck))]
    for mart, columns in sorted(duck.items()):
        if mart in KNOWN_MISSING or mart not in spark:
            continue
        if set(spark[mart]) != set(columns):
            differences.append(f"{mart}: columns differ {sorted(set(spark[mart]) ^ set(columns))}")
            continue
        found = mart_differences(con, mart, columns)
        if found:
            differences.append(found)
    return differences
