"""Duplicates and conflicts within one file, and what of the file's text is kept.

Rows with the same key and different values are all quarantined (nothing says which is right);
rows equal after parsing are loaded once and counted as duplicates. Only rows whose key hash occurs
more than once are compared exactly, so the common case costs one integer aggregate.
"""

from __future__ import annotations

import duckdb

from flows.contract import ENTITIES
from flows.landing.readers import source_rows_sql
from flows.landing.rules import value_columns
from flows.landing.sqltext import ident, literal

# The batch is the typed table's rows to load, without the typed table's flags and key hash.
BATCH_COLUMNS = "* exclude (_bad, _warned, _key_hash)"


def classify(con: duckdb.DuckDBPyConnection, entity_name: str) -> int:
    """Split the typed batch: errors and in-file conflicts to ``q_entries``, in-file repeats out,
    the rest into the view ``batch``; returns the number of in-file repeats.

    Only rows whose key hash occurs more than once are examined with exact keys and window
    functions, so the common case (unique keys) costs one integer aggregate.
    """
    entity = ENTITIES[entity_name]
    values = value_columns(entity_name)
    key_cols = ", ".join(ident(c) for c in entity.file_key)
    key_names = ", ".join(entity.file_key)
    value_list = ", ".join(ident(c) for c in values)
    con.execute(
        f"""
        create or replace temp table suspects as
        select *, hash({value_list}) as _row_hash from typed
        where not _bad and _key_hash in (
            select _key_hash from typed where not _bad group by _key_hash having count(*) > 1
        )
        """
    )
    con.execute(
        f"""
        create or replace temp table suspect_verdicts as
        select _row_number,
            count(distinct _row_hash) over (partition by {key_cols}) > 1 as _conflict,
            row_number() over (partition by {key_cols}, _row_hash order by _row_number) > 1
                as _repeat
        from suspects
        """
    )
    reason = f"conflicting duplicate: same ({key_names}), different values in this file"
    con.execute(
        f"""
        create or replace temp table q_entries as
        select _row_number, e.field, e.reason
        from (select _row_number, unnest(_errors) as e from typed_issues)
        union all
        select _row_number, {literal(key_names)}, {literal(reason)}
        from suspect_verdicts where _conflict
        """
    )
    in_file_dupes = con.execute(
        "select count(*) from suspect_verdicts where not _conflict and _repeat"
    ).fetchone()[0]
    con.execute("create or replace temp table gx_failed (_row_number bigint)")
    con.execute(
        f"""
        create or replace temp view batch as
        select {BATCH_COLUMNS} from typed
        where not _bad and _row_number not in (
            select _row_number from suspect_verdicts where _conflict or _repeat
            union all select _row_number from gx_failed
        )
        """
    )
    return in_file_dupes


def exclude_failed_expectations(
    con: duckdb.DuckDBPyConnection, failed: list[int], reason: str
) -> None:
    """Move rows that failed a row-level expectation from ``batch`` to ``q_entries``."""
    if failed:
        con.executemany("insert into gx_failed values (?)", [[n] for n in failed])
        con.execute("insert into q_entries select _row_number, null, ? from gx_failed", [reason])


def keep_quarantined_source(con: duckdb.DuckDBPyConnection) -> None:
    """Keep only the source text of quarantined rows (for their raw values) and free the rest
    before the merge, so a large file's text does not compete with it for memory."""
    con.execute(
        "create or replace temp table src_keep as select * from "
        + source_rows_sql(con, "select _row_number from q_entries")
    )
    kind = con.execute(
        "select table_type from information_schema.tables "
        "where table_catalog = 'temp' and table_name = 'src'"
    ).fetchone()[0]
    con.execute(f"drop {'view' if kind == 'VIEW' else 'table'} src")
    con.execute("drop table if exists src_text")
    con.execute("drop table if exists src_rowid_base")
    con.execute("create temp view src as select * from src_keep")
