"""Publishing the warehouse without breaking its readers.

DuckDB lets one process write a file or many read it, never both. Writers (ingest, build) therefore
work on a private copy and, only when everything succeeded, move it onto the live name with
``os.replace`` (atomic on POSIX). Each publish also writes the analysts' copy
(``flows.build.serving``: the marts without personal keys) beside the live file. Readers open
short-lived read-only connections: one that is open during a publish keeps reading the previous
file until it reconnects, so it never sees a half-built state, and a failed write leaves the
last good warehouse in place.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from flows.build.serving import serving_path, write_serving_copy
from flows.errors import UserError
from flows.file_modes import restrict

# Columns that stamp when a run happened, not what the data say: two builds of the same data
# differ only in these (what comparisons of two builds leave out).
RUN_STAMP_COLUMNS = frozenset(
    {
        "built_at",
        "invocation_id",
        "ingested_at",
        "file_mtime_ns",
        "quarantined_at",
        "warned_at",
        "latest_ingested_at",
        "validated_at",
    }
)
# Readers of the product (dashboard queries): no files, no network, configuration locked.
SAFE_CONFIG = {"enable_external_access": False, "lock_configuration": True}


def real_path(live: Path | str) -> Path:
    """The file a warehouse path names, symlinks resolved: the lock, the private copy and the
    publish all act on it, so two writers reaching one file by different names are serialised
    and a publish through a symlink replaces its target, not the link."""
    return Path(os.path.realpath(live))


# Every DuckDB database file carries these bytes after its 8-byte header checksum.
_DUCKDB_MAGIC = (8, b"DUCK")


def require_duckdb_file(path: Path) -> None:
    """Refuse, in one sentence, a path that exists but is not a DuckDB database (e.g. a CSV).

    DuckDB itself answers such a file with "Cannot launch in-memory database in read-only mode"
    when reading, and treats it as something else when writing.
    """
    offset, magic = _DUCKDB_MAGIC
    if not path.is_file() or path.stat().st_size == 0:
        return
    with open(path, "rb") as handle:
        handle.seek(offset)
        if handle.read(len(magic)) != magic:
            raise UserError("err_not_duckdb", path=path)


def staging_path(live: Path) -> Path:
    """Where a writer builds the next version of ``live``."""
    live = real_path(live)
    return live.with_name(f".{live.name}.building")


@contextlib.contextmanager
def writer_lock(live: Path) -> Iterator[None]:
    """One writer at a time per warehouse; a second one fails at once with a clear message."""
    live = real_path(live)
    live.parent.mkdir(parents=True, exist_ok=True)
    lock_path = live.with_name(f".{live.name}.lock")
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UserError("err_warehouse_busy", path=live) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def publishing(live: Path | str) -> Iterator[Path]:
    """Yield a private copy of ``live`` to write; publish it atomically if the block succeeds."""
    live = real_path(live)
    require_duckdb_file(live)
    staging = staging_path(live)
    with writer_lock(live):
        for stale in (staging, staging.with_name(staging.name + ".wal")):
            stale.unlink(missing_ok=True)
        if live.exists():
            shutil.copyfile(live, staging)
        try:
            yield staging
        except BaseException:
            staging.unlink(missing_ok=True)
            staging.with_name(staging.name + ".wal").unlink(missing_ok=True)
            raise
        wal = staging.with_name(staging.name + ".wal")
        if wal.exists():  # a writer left un-checkpointed data: fold it in before publishing
            with duckdb.connect(str(staging)) as con:
                con.execute("checkpoint")
        serving = serving_path(live)
        serving_staging = serving.with_name(f".{serving.name}.building")
        try:
            write_serving_copy(staging, serving_staging)
        except BaseException:
            staging.unlink(missing_ok=True)
            serving_staging.unlink(missing_ok=True)
            raise
        for path in (staging, serving_staging):
            restrict(path)
        os.replace(staging, live)
        os.replace(serving_staging, serving)


# A writer of an older version (or another tool) may hold DuckDB's file lock for a moment: a
# reader waits this long, retrying, before it reports the warehouse as busy.
LOCKED_RETRY_SECONDS = 5.0


class WarehouseBusy(UserError):
    """The warehouse file exists but another process holds its write lock."""


def read_only_connection(path: Path | str, **config: object) -> duckdb.DuckDBPyConnection:
    """Open a read-only connection; the caller closes it (``read_only`` for a ``with`` block).

    A locked file is retried for ``LOCKED_RETRY_SECONDS``, then reported as ``WarehouseBusy``
    (never as a missing warehouse, which a caller might remember).
    """
    path = Path(path)
    if not path.exists():
        raise UserError("err_no_warehouse_run", path=path)
    require_duckdb_file(path)
    deadline = time.monotonic() + LOCKED_RETRY_SECONDS
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=True, config=dict(config) if config else {})
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"the warehouse {path} is locked by a writing process; try again shortly"
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


@contextlib.contextmanager
def read_only(path: Path | str, **config: object) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived read-only connection (never blocks a writer working on its copy)."""
    con = read_only_connection(path, **config)
    try:
        yield con
    finally:
        con.close()
