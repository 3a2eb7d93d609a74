"""When a build lets DuckDB compact the row groups it deleted rows from (docs/incremental.md,
"Deleted rows and compaction").

An incremental build deletes the rows it redoes and inserts them again. DuckDB keeps a deleted
row as a mark in its row group until a checkpoint's vacuum merges that row group with its
neighbour, rewriting and recompressing up to a whole row group (122 880 rows) per table: on the
10M-line benchmark 0.2–0.4 s of a daily run's checkpoint, for a few thousand redone rows, and
nothing at 20k lines. Builds therefore leave deleted rows marked and compact only when a table the
build writes holds a share of them (``Settings.build_compaction_dead_share``): the rewrite is then
paid every few days for the rows of several, and scans never skip more than that share.
"""

from __future__ import annotations

import duckdb

COMPACTS_ENV = "COMPLAINTS_BUILD_COMPACTS"
# Written by the ingest and the build's preparation, never by dbt: a build's checkpoint does not
# compact them, so their deleted rows must not call for one.
_NOT_BUILT_BY_DBT = ("raw", "meta", "calendar")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def stored_and_live_rows(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    """Each table dbt writes (``schema.table``): its stored rows, deleted ones included (DuckDB's
    ``estimated_size``), and its live rows (``count(*)``)."""
    tables = con.execute(
        "select schema_name, table_name, estimated_size from duckdb_tables() "
        "where database_name = current_database() and not temporary "
        f"and schema_name not in ({', '.join('?' for _ in _NOT_BUILT_BY_DBT)})",
        list(_NOT_BUILT_BY_DBT),
    ).fetchall()
    if not tables:
        return {}
    names = [f"{_quoted(schema)}.{_quoted(table)}" for schema, table, _ in tables]
    live = con.execute(
        "select " + ", ".join(f"(select count(*) from {name})" for name in names)
    ).fetchone()
    return {
        f"{schema}.{table}": (stored, count)
        for (schema, table, stored), count in zip(tables, live, strict=True)
    }


def deleted_row_shares(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Each table dbt writes that holds deleted rows, with their share of its stored rows."""
    return {
        table: (stored - live) / stored
        for table, (stored, live) in stored_and_live_rows(con).items()
        if live < stored
    }


def deleted_share(con: duckdb.DuckDBPyConnection) -> float:
    """Deleted rows' share of all the rows stored in the tables dbt writes (what scans skip)."""
    counts = stored_and_live_rows(con).values()
    stored = sum(total for total, _ in counts)
    return (stored - sum(live for _, live in counts)) / stored if stored else 0.0


def compaction_due(con: duckdb.DuckDBPyConnection, dead_share: float) -> bool:
    """Whether a build should compact: the tables it writes hold at least ``dead_share`` of
    deleted rows among all their stored rows (always at 0). Counted over all tables, not each:
    a small table's redone rows are a large share of it but cost scans and rewrites little."""
    if dead_share <= 0:
        return True
    return deleted_share(con) >= dead_share
