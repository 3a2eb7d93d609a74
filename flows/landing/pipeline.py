"""One landing file into the warehouse, and one landing folder into the warehouse.

``ingest_landing`` works on an open target database path (a private copy inside ``publishing``),
so a caller can ingest and build in one publish. Each file is one transaction: it is loaded
completely (rows loaded, quarantined or counted as duplicates) or, when unreadable, rejected with a
reason in the ledger while the run goes on.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from flows.config import Settings
from flows.contract import ENTITIES
from flows.landing import ledger
from flows.landing.classify import classify, exclude_failed_expectations, keep_quarantined_source
from flows.landing.discovery import LandingFile, discover
from flows.landing.dq_warnings import record_warnings
from flows.landing.expectations_run import expectation_reason, validate_batch, warm_up
from flows.landing.fingerprint import (
    check_gzip,
    head_is_utf8,
    normalise_encoding,
    sha256_of,
)
from flows.landing.ledger import FileResult
from flows.landing.merge import merge_batch
from flows.landing.pii import load_key, mask_text
from flows.landing.profiles import (
    FALLBACK,
    Profile,
    choose_profile,
    load_profiles,
    map_headers,
    normalise_header,
    profile_for_name,
)
from flows.landing.quarantine import record_quarantine
from flows.landing.readers import (
    UnreadableFile,
    invalid_utf8_seen,
    read_csv,
    read_jsonl,
    read_parquet,
    read_xlsx,
)
from flows.landing.rules import RuleContext, build_typed, value_columns
from flows.landing.schema import ensure_schema
from flows.landing.sqltext import ident
from flows.landing.transcode import transcode_to_utf8

log = logging.getLogger(__name__)


@dataclass
class RunContext:
    """What every file of a run shares."""

    settings: Settings
    profiles: list[Profile]
    key: bytes
    ingested_at: str
    work_dir: Path

    @property
    def known_headers(self) -> set[str]:
        names = set(FALLBACK)
        for profile in self.profiles:
            names |= set(profile.own_headers())
        return names


@dataclass
class IngestReport:
    files: list[FileResult] = field(default_factory=list)

    @property
    def rejected(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "rejected"]

    @property
    def ok(self) -> bool:
        return not self.rejected


def connect(database: Path, settings: Settings) -> duckdb.DuckDBPyConnection:
    """A write connection with the session settings the SQL relies on (UTC, bounded memory)."""
    con = duckdb.connect(str(database))
    con.execute("set TimeZone = 'UTC'")
    con.execute(f"set memory_limit = '{settings.ingest_memory_limit}'")
    con.execute("set preserve_insertion_order = true")
    return con


def make_context(
    settings: Settings, work_dir: Path, profiles_file: Path | None = None
) -> RunContext:
    return RunContext(
        settings=settings,
        profiles=load_profiles(profiles_file or settings.profiles_file),
        key=load_key(settings.key_file),
        ingested_at=datetime.now(UTC).isoformat(),
        work_dir=work_dir,
    )


def ingest_landing(
    landing: Path, database: Path, settings: Settings, profiles_file: Path | None = None
) -> IngestReport:
    """Ingest every file directly in ``landing`` into the DuckDB file ``database``."""
    report = IngestReport()
    with tempfile.TemporaryDirectory(prefix="ingest-") as work:
        ctx = make_context(settings, Path(work), profiles_file)
        files = discover(Path(landing))
        con = connect(database, settings)
        try:
            ensure_schema(con)
            for landing_file in files:
                report.files.append(ingest_file(con, landing_file, ctx))
            con.execute("checkpoint")
        finally:
            con.close()
    return report


class AlreadyIngested(Exception):
    """The file's content turned out to be in the ledger already (known once hashed)."""


def ingest_file(
    con: duckdb.DuckDBPyConnection, lf: LandingFile, ctx: RunContext, raise_io: bool = False
) -> FileResult:
    """Load, quarantine or reject one file; known content is skipped (a no-op).

    ``raise_io``: let an I/O error (``OSError``) propagate after rolling back, so an orchestrator
    can retry the file; by default it rejects the file like any other unreadable one.

    A file whose name, size and modification time match a ledger entry is known without reading
    it. Otherwise its SHA-256 is computed in a background thread while DuckDB reads and validates
    it, and checked against the ledger before anything is merged.
    """
    try:
        stat = lf.path.stat()
    except OSError as exc:  # vanished or unreadable since discovery
        if raise_io:
            raise
        return reject_after_io_failure(con, lf, ctx, exc)
    result = FileResult(
        file_name=lf.name, format=lf.fmt, file_size=stat.st_size, file_mtime_ns=stat.st_mtime_ns
    )
    known = ledger.known_by_stat(con, lf.name, stat.st_size, stat.st_mtime_ns)
    if known:
        return _skipped(con, lf, known, result)
    if ctx.settings.gx_max_rows_per_file > 0:
        warm_up()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sha256") as pool:
        digest = pool.submit(sha256_of, lf.path)

        def file_id() -> str:
            if result.file_id is None:
                result.file_id = digest.result().sha256
                if ledger.lookup(con, result.file_id) is not None:
                    raise AlreadyIngested
            return result.file_id

        con.execute("begin transaction")
        try:
            _load(con, lf, ctx, result, file_id)
            ledger.record(con, result, ctx.ingested_at)
            con.execute("commit")
        except AlreadyIngested:
            con.execute("rollback")
            return _skipped(con, lf, result.file_id or "", result)
        except ledger.ReconciliationError:
            con.execute("rollback")
            raise
        except OSError:
            con.execute("rollback")
            if raise_io:
                raise
            return _reject_unhashed(con, lf, ctx, result, digest)
        except (UnreadableFile, ValueError, duckdb.Error, UnicodeError) as exc:
            con.execute("rollback")
            result.file_id = digest.result().sha256
            if ledger.lookup(con, result.file_id) is not None:
                return _skipped(con, lf, result.file_id, result)
            return _reject(con, lf, ctx, result, exc)
        finally:
            _drop_temporaries(con)
    return result


def _reject_unhashed(
    con: duckdb.DuckDBPyConnection,
    lf: LandingFile,
    ctx: RunContext,
    result: FileResult,
    digest: Future,
) -> FileResult:
    """Reject a file after an I/O error (its hash may be unavailable too)."""
    exc = sys.exc_info()[1] or OSError("I/O error")
    try:
        result.file_id = digest.result().sha256
    except OSError:
        result.file_id = result.file_id or f"unreadable:{lf.name}:{result.file_size}"
    if ledger.lookup(con, result.file_id) is not None:
        return _skipped(con, lf, result.file_id, result)
    return _reject(con, lf, ctx, result, exc)


def reject_after_io_failure(
    con: duckdb.DuckDBPyConnection, lf: LandingFile, ctx: RunContext, exc: OSError
) -> FileResult:
    """Record a file whose reading kept failing with I/O errors (after any retries)."""
    stat_size = lf.path.stat().st_size if lf.path.exists() else None
    result = FileResult(file_name=lf.name, format=lf.fmt, entity=lf.entity, file_size=stat_size)
    result.file_id = f"unreadable:{lf.name}:{stat_size}"
    existing = ledger.lookup(con, result.file_id)
    if existing is not None:
        return _skipped(con, lf, result.file_id, result)
    return _reject(con, lf, ctx, result, exc)


def _skipped(
    con: duckdb.DuckDBPyConnection, lf: LandingFile, file_id: str, result: FileResult
) -> FileResult:
    """Known content: nothing is written (a delivery under a new name is noted). Content that was
    rejected before is reported as rejected again, so the run still signals it."""
    seen = ledger.lookup(con, file_id)
    ledger.note_duplicate_delivery(con, file_id, lf.name)
    first = seen[0] if seen else lf.name
    reason = "already ingested" if first == lf.name else f"same content as {first} (duplicate)"
    rejected_before = seen is not None and seen[1] == "rejected"
    return FileResult(
        file_name=lf.name,
        file_id=file_id,
        format=lf.fmt,
        status="rejected" if rejected_before else "skipped",
        reason=f"rejected earlier: {seen[2]}" if rejected_before and seen else reason,
        file_size=result.file_size,
        file_mtime_ns=result.file_mtime_ns,
    )


def _reject(
    con: duckdb.DuckDBPyConnection,
    lf: LandingFile,
    ctx: RunContext,
    result: FileResult,
    exc: BaseException,
) -> FileResult:
    reason = mask_text(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    log.warning("%s rejected: %s", lf.name, reason)
    rejected = FileResult(
        file_name=lf.name,
        file_id=result.file_id,
        entity=result.entity,
        format=lf.fmt,
        encoding=result.encoding,
        profile=result.profile,
        status="rejected",
        reason=reason,
        file_size=result.file_size,
        file_mtime_ns=result.file_mtime_ns,
    )
    ledger.record(con, rejected, ctx.ingested_at)
    return rejected


def _drop_temporaries(con: duckdb.DuckDBPyConnection) -> None:
    """Drop every temporary table and view of the previous file."""
    rows = con.execute(
        "select table_name, table_type from information_schema.tables "
        "where table_catalog = 'temp' order by table_type desc"
    ).fetchall()
    for name, kind in rows:
        con.execute(f"drop {'view' if kind == 'VIEW' else 'table'} if exists temp.{ident(name)}")


def _load(
    con: duckdb.DuckDBPyConnection,
    lf: LandingFile,
    ctx: RunContext,
    result: FileResult,
    file_id: Callable[[], str],
) -> None:
    named = profile_for_name(ctx.profiles, lf.name)
    entity_name = lf.entity or (named.entity if named else None)
    if entity_name is None:
        raise UnreadableFile(
            "the file name's prefix names no entity (expected one of: " + ", ".join(ENTITIES) + ")"
        )
    result.entity = entity_name
    if lf.fmt is None:
        raise UnreadableFile(
            "unsupported file type (expected .csv, .csv.gz, .xlsx, .jsonl, .parquet)"
        )
    if result.file_size == 0:
        raise UnreadableFile("empty file")
    headers = _read(con, lf, ctx, result, named)
    if not headers:
        raise UnreadableFile("empty file (no header row)")
    entity = ENTITIES[entity_name]
    profile = choose_profile(ctx.profiles, entity_name, lf.name, headers)
    result.profile = profile.name
    positions, extra = map_headers(profile, entity_name, headers)
    result.extra_columns = extra
    mapped = set(positions.values()) | set(profile.defaults)
    missing = [c for c in entity.required if c not in mapped]
    if missing:
        raise UnreadableFile(f"missing required column(s): {', '.join(missing)}")
    rule_ctx = RuleContext(
        entity=entity,
        profile=profile,
        positions=positions,
        timezone=profile.timezone or ctx.settings.timezone,
        key=ctx.key,
    )
    build_typed(con, rule_ctx)
    file_id()  # the content hash is needed from here on (and may reveal a known file)
    n_src = con.execute("select count(*) from src").fetchone()[0]
    n_rejects = con.execute("select count(*) from src_rejects").fetchone()[0]
    in_file_repeats = classify(con, entity_name)
    failed = validate_batch(con, result, ctx.settings)
    if failed:
        exclude_failed_expectations(con, failed, expectation_reason(con, result.file_id or ""))
    keep_quarantined_source(con)
    merged = merge_batch(
        con, entity, value_columns(entity_name), result.file_id or "", ctx.ingested_at
    )
    personal = {p for p, name in positions.items() if entity.column(name).personal}
    quarantined = record_quarantine(con, result.file_id or "", lf.name, headers, personal)
    result.rows_read = n_src + n_rejects
    result.rows_quarantined = quarantined
    result.rows_loaded = merged.loaded
    result.rows_duplicate = merged.duplicate + in_file_repeats
    result.rows_superseded = merged.superseded
    record_warnings(con, result)
    ledger.check_reconciles(result)


def _read(
    con: duckdb.DuckDBPyConnection,
    lf: LandingFile,
    ctx: RunContext,
    result: FileResult,
    named: Profile | None,
) -> list[str]:
    if lf.fmt in ("csv", "csv.gz"):
        return _read_csv_any_encoding(con, lf, ctx, result, named)
    if lf.fmt == "jsonl":
        result.encoding = "utf-8"
        return read_jsonl(con, lf.path).headers
    if lf.fmt == "parquet":
        return read_parquet(con, lf.path).headers
    return read_xlsx(
        con, lf.path, ctx.known_headers | {normalise_header(h) for h in FALLBACK}
    ).headers


def _read_csv_any_encoding(
    con: duckdb.DuckDBPyConnection,
    lf: LandingFile,
    ctx: RunContext,
    result: FileResult,
    named: Profile | None,
) -> list[str]:
    """UTF-8 when the bytes are valid UTF-8, else GB18030 (unless a profile states the encoding).

    The first megabyte is checked in Python; the rest is checked by DuckDB while it reads (an
    invalid UTF-8 sequence anywhere makes it reject that record as INVALID ENCODING), so a UTF-8
    file is read once, and a GB18030 file whose start looks like UTF-8 is read again transcoded.
    """
    stated = named.encoding if named and named.encoding else None
    if stated:
        encoding = normalise_encoding(stated)
    else:
        encoding = "utf-8" if head_is_utf8(lf.path, lf.fmt) else "gb18030"
    result.encoding = encoding
    if encoding == "utf-8":
        try:
            headers = read_csv(con, lf.path).headers
        except UnreadableFile:
            if lf.fmt == "csv.gz":
                check_gzip(lf.path)  # a clearer reason for a truncated or corrupt archive
            raise
        if stated or not invalid_utf8_seen(con):
            return headers
        encoding = result.encoding = "gb18030"
        _drop_temporaries(con)
    source = ctx.work_dir / f"{lf.name}.utf8.csv"
    transcode_to_utf8(lf.path, lf.fmt, encoding, source)
    try:
        return read_csv(con, source).headers
    finally:
        source.unlink(missing_ok=True)
