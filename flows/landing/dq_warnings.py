"""``meta.dq_warnings``: optional fields that were invalid and loaded as null, with raw values."""

from __future__ import annotations

import duckdb

from flows.landing.ledger import FileResult


def record_warnings(con: duckdb.DuckDBPyConnection, result: FileResult) -> None:
    """Warnings of the rows that were loaded (nulled optional fields)."""
    con.execute(
        """
        insert into meta.dq_warnings
        select ?, ?, t._row_number, w.field, w.reason, w.raw_value, current_timestamp
        from (select _row_number, unnest(_warnings) as w from typed_issues) as t
        semi join batch using (_row_number)
        order by t._row_number, w.field
        """,
        [result.file_id, result.file_name],
    )
    result.rows_warned = con.execute(
        "select count(distinct row_number) from meta.dq_warnings where file_id = ?",
        [result.file_id],
    ).fetchone()[0]
