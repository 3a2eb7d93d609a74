"""Comparing the marts of two builds of the same data (two engines, or incremental runs against a
full one): every public mart (the ``marts`` schema) with the same columns, the same number of rows
and the same rows, counts and text exact, floats and decimals to 1e-9 relative, run stamps aside."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import duckdb

# Compared to 1e-9 relative: DuckDB's doubles, and the decimals whose scale differs by engine.
INEXACT_TYPES = ("DOUBLE", "FLOAT", "REAL", "DECIMAL")


def marts_of(
    con: duckdb.DuckDBPyConnection, catalog: str, schema: str = "marts"
) -> dict[str, dict[str, str]]:
    """mart -> {column: type} of the ``marts`` schema (or ``schema``) of an attached database."""
    out: dict[str, dict[str, str]] = {}
    for table, column, kind in con.execute(
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_catalog = ? and table_schema = ? order by table_name, ordinal_position",
        [catalog, schema],
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


def table_differences(
    con, mart: str, left: str, right: str, names: list[str], inexact: set[str]
) -> str | None:
    """The first difference between relations ``left`` and ``right`` over ``names``, or None."""
    ours = sorted_rows(con, left, names, inexact)
    theirs = sorted_rows(con, right, names, inexact)
    if len(ours) != len(theirs):
        return f"{mart}: {len(ours)} rows vs {len(theirs)}"
    for one, other in zip(ours, theirs, strict=True):
        bad = [
            f"{name}={one[i]!r} vs {other[i]!r}"
            for i, name in enumerate(names)
            if not same_cell(one[i], other[i], name in inexact)
        ]
        if bad:
            return f"{mart}: first differing row: {'; '.join(bad[:4])}"
    return None
