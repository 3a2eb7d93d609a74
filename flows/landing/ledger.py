"""``meta.file_ledger``: one row per file content, the run's memory of what it has ingested."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb


@dataclass
class FileResult:
    """What happened to one landing file (a ledger row, plus ``skipped`` for known content)."""

    file_name: str
    file_id: str | None = None
    entity: str | None = None
    format: str | None = None
    encoding: str | None = None
    profile: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_duplicate: int = 0
    rows_superseded: int = 0
    rows_warned: int = 0
    status: str = "loaded"  # loaded | rejected | skipped (content already in the ledger)
    reason: str | None = None
    extra_columns: list[str] = field(default_factory=list)
    file_size: int | None = None
    file_mtime_ns: int | None = None
    # File-level data-quality notes (also in meta.dq_warnings with no row number).
    notes: list[str] = field(default_factory=list)
    content_sha256: str | None = None
    headers: list[str] | None = None  # the file's headers, as far as they were read
    rejected_earlier: bool = False  # skipped: this content was rejected by an earlier run


class ReconciliationError(AssertionError):
    """rows_read != rows_loaded + rows_quarantined + rows_duplicate: a bug, never data."""


def check_reconciles(result: FileResult) -> None:
    if result.status == "rejected":  # nothing loaded: rows_read is a count, not a promise
        return
    accounted = result.rows_loaded + result.rows_quarantined + result.rows_duplicate
    if result.rows_read != accounted:
        raise ReconciliationError(
            f"{result.file_name}: {result.rows_read} rows read but {result.rows_loaded} loaded "
            f"+ {result.rows_quarantined} quarantined + {result.rows_duplicate} duplicate"
        )


def known_by_stat(
    con: duckdb.DuckDBPyConnection, name: str, size: int, mtime_ns: int
) -> str | None:
    """The file id of a ledger entry with this name, size and modification time (no re-hash)."""
    row = con.execute(
        "select file_id from meta.file_ledger "
        "where file_name = ? and file_size = ? and file_mtime_ns = ? limit 1",
        [name, size, mtime_ns],
    ).fetchone()
    return row[0] if row else None


def lookup(con: duckdb.DuckDBPyConnection, file_id: str) -> tuple[str, str, str | None] | None:
    """(file name, status, reason) of content already in the ledger."""
    row = con.execute(
        "select file_name, status, reason from meta.file_ledger where file_id = ?", [file_id]
    ).fetchone()
    return (row[0], row[1], row[2]) if row else None


def identify(
    con: duckdb.DuckDBPyConnection, sha256: str, entity: str | None
) -> tuple[str, tuple[str, str, str | None] | None]:
    """The file id of this content read as this entity, and its ledger entry if it has one.

    A file's identity is (content, entity): the same bytes used as two entities are two files.
    New content gets its SHA-256 as its id; the same bytes as a further entity get
    ``<sha256>:<entity>`` (ids stay unique in the ledger).
    """
    row = con.execute(
        "select file_id, file_name, status, reason from meta.file_ledger "
        "where content_sha256 = ? and entity is not distinct from ? limit 1",
        [sha256, entity],
    ).fetchone()
    if row:
        return row[0], (row[1], row[2], row[3])
    taken = con.execute("select 1 from meta.file_ledger where file_id = ?", [sha256]).fetchone()
    return (f"{sha256}:{entity}" if taken else sha256), None


def note_duplicate_delivery(con: duckdb.DuckDBPyConnection, file_id: str, name: str) -> None:
    """Remember that known content arrived again under another name (idempotent)."""
    con.execute(
        """
        update meta.file_ledger
        set duplicate_deliveries = list_sort(list_distinct(
            list_append(coalesce(duplicate_deliveries, []), ?)))
        where file_id = ? and file_name <> ?
          and not list_contains(coalesce(duplicate_deliveries, []), ?)
        """,
        [name, file_id, name, name],
    )


def record(con: duckdb.DuckDBPyConnection, result: FileResult, ingested_at: str) -> None:
    """Insert the file's ledger row (the reconciliation is checked first)."""
    check_reconciles(result)
    con.execute(
        """
        insert into meta.file_ledger (
            file_id, file_name, entity, format, encoding, profile, rows_read, rows_loaded,
            rows_quarantined, rows_duplicate, status, reason, extra_columns, ingested_at,
            file_size, file_mtime_ns, load_seq, rows_superseded, rows_warned, duplicate_deliveries,
            content_sha256, headers
        )
        select ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as timestamptz), ?, ?,
            coalesce((select max(load_seq) from meta.file_ledger), 0) + 1, ?, ?, [], ?, ?
        """,
        [
            result.file_id,
            result.file_name,
            result.entity,
            result.format,
            result.encoding,
            result.profile,
            result.rows_read,
            result.rows_loaded,
            result.rows_quarantined,
            result.rows_duplicate,
            result.status,
            result.reason,
            result.extra_columns,
            ingested_at,
            result.file_size,
            result.file_mtime_ns,
            result.rows_superseded,
            result.rows_warned,
            result.content_sha256,
            result.headers,
        ],
    )
