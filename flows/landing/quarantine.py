"""Rows that cannot be loaded go to ``meta.quarantine`` with their reason and masked raw values."""

from __future__ import annotations

import duckdb

from flows.landing.pii import mask_text, mask_text_sql, masked_phone_sql
from flows.landing.sqltext import literal


def raw_values_sql(
    headers: list[str],
    personal_positions: set[int],
    identifier_positions: frozenset[int] = frozenset(),
) -> str:
    """JSON of a source row keyed by the file's own headers (masked); phone numbers masked in
    every value except identifiers, which are kept exactly as the file has them."""
    if not headers:
        return "json_object()"
    pairs = []
    for i, header in enumerate(headers):
        value = f"c{i}"
        if i in personal_positions:
            masked = masked_phone_sql(value)
        elif i in identifier_positions:
            masked = value
        else:
            masked = mask_text_sql(value)
        pairs.append(f"{literal(mask_text(header))}, {masked}")
    return f"json_object({', '.join(pairs)})"


def record_quarantine(
    con: duckdb.DuckDBPyConnection,
    file_id: str,
    file_name: str,
    headers: list[str],
    personal_positions: set[int],
    identifier_positions: frozenset[int] = frozenset(),
) -> int:
    """Write the entries of temp table ``q_entries`` (row, field, reason) and reader rejects.

    Returns the number of distinct quarantined rows.
    """
    values = raw_values_sql(headers, personal_positions, identifier_positions)
    params = [file_id, file_name]
    _write_rejects(con, params)
    if not con.execute("select exists (select 1 from q_entries)").fetchone()[0]:
        return con.execute("select count(*) from src_rejects").fetchone()[0]
    con.execute(
        f"""
        insert into meta.quarantine
        select ?, ?, q._row_number, q.field, q.reason, {values}, current_timestamp
        from q_entries as q join src using (_row_number)
        order by q._row_number, q.field
        """,
        params,
    )
    return con.execute(
        "select count(*) from (select _row_number from q_entries union "
        "select _row_number from src_rejects)"
    ).fetchone()[0]


def _write_rejects(con: duckdb.DuckDBPyConnection, params: list[str]) -> None:
    """Rows the reader could not split into fields, with their masked raw line."""
    con.execute(
        f"""
        insert into meta.quarantine
        select ?, ?, _row_number, null, reason,
            json_object('raw_line', {mask_text_sql("raw_line")}), current_timestamp
        from src_rejects order by _row_number
        """,
        params,
    )
