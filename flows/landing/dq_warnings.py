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


def record_assumed(
    con: duckdb.DuckDBPyConnection, result: FileResult, columns: list[str], profiles: list
) -> None:
    """``meta.assumed_values``: per loaded file and column, how many rows took the profile's
    constant default, and which rows when not all of them (so a metric resting on such a value
    can say so). A note per column is added to the file's report."""
    if not columns:
        return
    from flows.landing.profiles import BUILTIN

    profile = next((p for p in [*profiles, *BUILTIN] if p.name == result.profile), None)
    loaded = con.execute("select count(*) from batch").fetchone()[0]
    rows = con.execute(
        """
        select column_name, count(*) as n, list(_row_number order by _row_number) as row_numbers
        from typed_assumed semi join batch using (_row_number)
        group by column_name order by column_name
        """
    ).fetchall()
    for column, n, row_numbers in rows:
        default = profile.defaults.get(column) if profile else None
        every = n == loaded
        con.execute(
            "insert into meta.assumed_values values (?, ?, ?, ?, ?, ?, ?, ?, current_timestamp)",
            [
                result.file_id,
                result.file_name,
                result.entity,
                column,
                default,
                n,
                every,
                None if every else row_numbers,
            ],
        )
        scope = "every row" if every else f"{n} of {loaded} rows"
        result.notes.append(f"{column} assumed as {default!r} (profile default) in {scope}")


def record_file_notes(con: duckdb.DuckDBPyConnection, result: FileResult) -> None:
    """File-level notes as warnings without a row number (the data-quality page lists them)."""
    for note in result.notes:
        field_name = note.split(" ", 1)[0] if " assumed as " in note else "file"
        con.execute(
            "insert into meta.dq_warnings values (?, ?, null, ?, ?, null, current_timestamp)",
            [result.file_id, result.file_name, field_name, note],
        )
