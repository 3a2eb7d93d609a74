"""One landing file into the warehouse, and one landing folder into the warehouse.

``ingest_landing`` works on an open target database path (a private copy inside ``publishing``),
so a caller can ingest and build in one publish. Each file is one transaction: it is loaded
completely (rows loaded, quarantined or counted as duplicates) or, when unreadable, rejected with a
reason in the ledger while the run goes on.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterator
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
from flows.landing.dq_warnings import record_assumed, record_file_notes, record_warnings
from flows.landing.expectations_run import (
    Validation,
    store_validation,
    validate_batch,
    warm_up,
)
from flows.landing.fingerprint import (
    check_decompressed_size,
    check_gzip,
    head_is_utf8,
    normalise_encoding,
    sha256_of,
)
from flows.landing.key_fingerprint import check_key
from flows.landing.ledger import FileResult
from flows.landing.line_encoding import line_kinds, line_reason, write_readable
from flows.landing.merge import merge_batch
from flows.landing.pii import load_key, mask_text, phone_patterns_in_use
from flows.landing.profiles import (
    FALLBACK,
    Profile,
    choose_profile,
    load_profiles,
    map_headers,
    normalise_header,
    profile_for_name,
    template_positions,
)
from flows.landing.quarantine import record_quarantine
from flows.landing.readers import (
    CsvLayout,
    ReadLimits,
    UnreadableFile,
    invalid_utf8_seen,
    looks_delimited_by,
    read_csv,
    read_jsonl,
    read_parquet,
    read_xlsx,
    reject_nested_values,
)
from flows.landing.rules import RuleContext, build_assumed, build_typed, value_columns
from flows.landing.schema import ensure_schema
from flows.landing.sqltext import ident

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
    def limits(self) -> ReadLimits:
        return ReadLimits(self.settings.ingest_max_record_bytes, self.settings.ingest_max_columns)

    @property
    def known_headers(self) -> set[str]:
        names = set(FALLBACK)
        for profile in self.profiles:
            names |= set(profile.own_headers()) | profile.template_headers()
        return names


@dataclass
class IngestReport:
    files: list[FileResult] = field(default_factory=list)

    @property
    def rejected(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "rejected"]

    @property
    def rejected_earlier(self) -> list[FileResult]:
        """Files skipped because this content was rejected by an earlier run."""
        return [f for f in self.files if f.rejected_earlier]

    @property
    def ok(self) -> bool:
        return not self.rejected


def connect(database: Path, settings: Settings) -> duckdb.DuckDBPyConnection:
    """A write connection with the session settings the SQL relies on (UTC, bounded memory)."""
    con = duckdb.connect(str(database))
    con.execute(f"set memory_limit = '{settings.ingest_memory_limit}'")
    _session(con, settings)
    return con


def _session(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Per-connection settings: instants are computed in UTC, rows keep file order."""
    con.execute("set TimeZone = 'UTC'")
    con.execute("set preserve_insertion_order = true")


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
    landing: Path,
    database: Path,
    settings: Settings,
    profiles_file: Path | None = None,
    progress: Callable[[int | None, str], None] | None = None,
    retry_rejected: bool = False,
) -> IngestReport:
    """Ingest every file directly in ``landing`` into the DuckDB file ``database``.

    ``progress(total_files, what)`` is called as each file is committed. ``retry_rejected``:
    files rejected by earlier runs are judged again (after an environmental fault was fixed).
    """
    report = IngestReport()
    with (
        phone_patterns_in_use(settings.phone_patterns()),
        tempfile.TemporaryDirectory(prefix="ingest-") as work,
    ):
        ctx = make_context(settings, Path(work), profiles_file)
        files = discover(Path(landing))
        con = connect(database, settings)
        try:
            ensure_schema(con)
            check_key(con, ctx.key, settings.key_file)
            if retry_rejected:
                con.execute("delete from meta.file_ledger where status = 'rejected'")
            with FilePreparer(con, files, ctx) as preparer:
                for prepared in preparer:
                    result = commit_retrying_io(con, prepared, ctx)
                    report.files.append(result)
                    if progress:
                        progress(len(files), f"{result.file_name}: {result.rows_read:,} rows")
            con.execute("checkpoint")
        finally:
            con.close()
    return report


def shown_name(lf: LandingFile) -> str:
    """The file name as the warehouse, the report and the logs show it: phone numbers masked in
    each part between `_` and `.` (in a file name those separate words, they join no id)."""
    return re.sub(r"[^_.]+", lambda part: mask_text(part.group()), lf.name)


def commit_retrying_io(
    con: duckdb.DuckDBPyConnection, prepared: PreparedFile, ctx: RunContext
) -> FileResult:
    """``commit_file``, reading the file again after an I/O error (a flaky mount) with the
    configured pauses; the last attempt rejects the file with the error as its reason. Bad data
    is never retried."""
    for pause in ctx.settings.ingest_io_retry_delays_seconds:
        try:
            return commit_file(prepared, ctx, raise_io=True)
        except OSError as exc:
            log.warning("%s: %s; reading it again in %.0f s", prepared.lf.name, exc, pause)
            time.sleep(pause)
            prepared = prepare_file(file_connection(con, ctx), prepared.lf, ctx)
    return commit_file(prepared, ctx)


class AlreadyIngested(Exception):
    """The file's content turned out to be in the ledger already (known once hashed)."""


@dataclass
class PreparedFile:
    """One file read, typed, classified and validated on its own connection, not yet written.

    The connection holds the file's temporary tables until ``commit_file`` closes it. ``error``
    is what made the file unreadable (it is rejected at commit, in file order).
    """

    lf: LandingFile
    con: duckdb.DuckDBPyConnection
    result: FileResult
    digest: Future | None = None
    known_id: str | None = None  # content known from the ledger: nothing to write
    error: BaseException | None = None
    headers: list[str] = field(default_factory=list)
    personal: set[int] = field(default_factory=set)
    identifiers: frozenset[int] = frozenset()  # positions of id columns: never masked
    defaulted: list[str] = field(default_factory=list)  # columns a profile default may supply
    delimiter: str | None = None  # CSV: the delimiter and header line used
    skipped: int = 0
    read_as_is: bool = False  # a plain CSV read from its own bytes (not a transcoded copy)
    validation: Validation = field(default_factory=Validation)
    committed: bool = False


def ingest_file(
    con: duckdb.DuckDBPyConnection, lf: LandingFile, ctx: RunContext, raise_io: bool = False
) -> FileResult:
    """Load, quarantine or reject one file; known content is skipped (a no-op).

    ``raise_io``: let an I/O error (``OSError``) propagate after rolling back, so an orchestrator
    can retry the file; by default it rejects the file like any other unreadable one.
    """
    return commit_file(prepare_file(file_connection(con, ctx), lf, ctx), ctx, raise_io)


def file_connection(con: duckdb.DuckDBPyConnection, ctx: RunContext) -> duckdb.DuckDBPyConnection:
    """A connection of its own for one file (temporary tables are per connection)."""
    cursor = con.cursor()
    _session(cursor, ctx.settings)
    return cursor


def prepare_file(con: duckdb.DuckDBPyConnection, lf: LandingFile, ctx: RunContext) -> PreparedFile:
    """Everything about one file that writes only temporary tables: reading, typing, in-file
    duplicates, expectations. Safe to run for one file while another file is committed.

    A file whose name, size and modification time match a ledger entry is known without reading
    it. Otherwise its SHA-256 is computed in a background thread while DuckDB reads it.
    """
    prepared = PreparedFile(
        lf=lf, con=con, result=FileResult(file_name=shown_name(lf), format=lf.fmt)
    )
    result = prepared.result
    try:
        stat = lf.path.stat()
    except OSError as exc:  # vanished or unreadable since discovery
        prepared.error = exc
        return prepared
    result.file_size, result.file_mtime_ns = stat.st_size, stat.st_mtime_ns
    prepared.known_id = ledger.known_by_stat(con, shown_name(lf), stat.st_size, stat.st_mtime_ns)
    if prepared.known_id:
        return prepared
    if ctx.settings.gx_max_rows_per_file > 0:
        warm_up()
    hashing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sha256")
    prepared.digest = hashing.submit(sha256_of, lf.path)
    hashing.shutdown(wait=False)
    try:
        _prepare(prepared, ctx)
    except AlreadyIngested:
        prepared.known_id = result.file_id
    except duckdb.OutOfMemoryException as exc:
        prepared.error = out_of_memory(exc, ctx.settings)
    except (OSError, UnreadableFile, ValueError, duckdb.Error, UnicodeError) as exc:
        prepared.error = exc
    return prepared


def out_of_memory(exc: BaseException, settings: Settings) -> UnreadableFile:
    """An actionable reason for a file that needed more memory than the ingest may use."""
    return UnreadableFile(
        f"reading it needed more memory than ingest_memory_limit = "
        f"{settings.ingest_memory_limit}; raise ingest_memory_limit in complaints.yml, or split "
        f"the file (DuckDB: {_one_line(exc)})"
    )


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


def commit_file(prepared: PreparedFile, ctx: RunContext, raise_io: bool = False) -> FileResult:
    """Write a prepared file in one transaction: rows merged, quarantine, warnings, expectation
    results and the ledger row, or the file's rejection. Closes the file's connection."""
    con, lf, result = prepared.con, prepared.lf, prepared.result
    prepared.committed = True
    try:
        if prepared.known_id:
            return _skipped(con, lf, prepared.known_id, result)
        if isinstance(prepared.error, OSError):
            if raise_io:
                raise prepared.error
            if prepared.digest is None:  # not even its size was readable
                return reject_after_io_failure(con, lf, ctx, prepared.error)
        if prepared.error is not None:
            return _reject_hashed(con, lf, ctx, result, prepared.digest, prepared.error)
        con.execute("begin transaction")
        try:
            if result.content_sha256:
                # The same content as the same entity may have come in another file of this run.
                file_id, seen = ledger.identify(con, result.content_sha256, result.entity)
                if seen is not None:
                    result.file_id = file_id
                    raise AlreadyIngested
                result.file_id = file_id
            _write(prepared, ctx)
            ledger.record(con, result, ctx.ingested_at)
            con.execute("commit")
        except AlreadyIngested:
            con.execute("rollback")
            return _skipped(con, lf, result.file_id or "", result)
        except ledger.ReconciliationError:
            con.execute("rollback")
            raise
        except OSError as exc:
            con.execute("rollback")
            if raise_io:
                raise
            return _reject_hashed(con, lf, ctx, result, prepared.digest, exc)
        except (UnreadableFile, ValueError, duckdb.Error, UnicodeError) as exc:
            con.execute("rollback")
            if isinstance(exc, duckdb.OutOfMemoryException):
                exc = out_of_memory(exc, ctx.settings)
            return _reject_hashed(con, lf, ctx, result, prepared.digest, exc)
        return result
    finally:
        con.close()


class FilePreparer:
    """Prepares the next files in background threads while the caller commits the current one.

    Iterating yields ``PreparedFile`` objects in file order; the caller commits each before taking
    the next, so the writes (and the tie-breaks that follow load order) stay in file order.
    DuckDB releases the GIL while it reads, so one file's reading overlaps another's Great
    Expectations run and a third's merge. At most ``settings.ingest_files_ahead`` files are
    prepared ahead, which bounds the memory their temporary tables take.
    """

    def __init__(
        self, con: duckdb.DuckDBPyConnection, files: list[LandingFile], ctx: RunContext
    ) -> None:
        self.con, self.files, self.ctx = con, files, ctx
        self.ahead = max(1, ctx.settings.ingest_files_ahead)
        self.pool = ThreadPoolExecutor(max_workers=self.ahead, thread_name_prefix="prepare")
        # Each file's connection beside its preparation, so an early exit can close it.
        self.pending: deque[tuple[duckdb.DuckDBPyConnection, Future]] = deque()
        self.next_index = 0

    def __enter__(self) -> FilePreparer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        for con, _ in self.pending:  # prepared (or cancelled) but never written: an early exit
            con.close()

    def _submit(self) -> None:
        if self.next_index < len(self.files):
            lf = self.files[self.next_index]
            self.next_index += 1
            con = file_connection(self.con, self.ctx)  # created here: the caller's thread
            self.pending.append((con, self.pool.submit(prepare_file, con, lf, self.ctx)))

    def __iter__(self) -> Iterator[PreparedFile]:
        while len(self.pending) < self.ahead and self.next_index < len(self.files):
            self._submit()
        while self.pending:
            prepared = self.pending.popleft()[1].result()
            self._submit()
            yield prepared


def _reject_hashed(
    con: duckdb.DuckDBPyConnection,
    lf: LandingFile,
    ctx: RunContext,
    result: FileResult,
    digest: Future | None,
    exc: BaseException,
) -> FileResult:
    """Reject a file that could not be read, under its content hash (or, when the file could not
    even be hashed, an id from its name and size), unless that content is known already."""
    if digest is not None:
        with contextlib.suppress(OSError):
            result.content_sha256 = digest.result().sha256
    if result.content_sha256:
        result.file_id, seen = ledger.identify(con, result.content_sha256, result.entity)
        if seen is not None:
            return _skipped(con, lf, result.file_id, result)
    result.file_id = result.file_id or f"unreadable:{shown_name(lf)}:{result.file_size}"
    if ledger.lookup(con, result.file_id) is not None:
        return _skipped(con, lf, result.file_id, result)
    return _reject(con, lf, ctx, result, exc)


def reject_after_io_failure(
    con: duckdb.DuckDBPyConnection, lf: LandingFile, ctx: RunContext, exc: OSError
) -> FileResult:
    """Record a file whose reading kept failing with I/O errors (after any retries)."""
    stat_size = lf.path.stat().st_size if lf.path.exists() else None
    result = FileResult(
        file_name=shown_name(lf), format=lf.fmt, entity=lf.entity, file_size=stat_size
    )
    result.file_id = f"unreadable:{shown_name(lf)}:{stat_size}"
    existing = ledger.lookup(con, result.file_id)
    if existing is not None:
        return _skipped(con, lf, result.file_id, result)
    return _reject(con, lf, ctx, result, exc)


def _skipped(
    con: duckdb.DuckDBPyConnection, lf: LandingFile, file_id: str, result: FileResult
) -> FileResult:
    """Known content: nothing is written (a delivery under a new name is noted). Content that was
    rejected before is skipped with a warning until it changes: it was reported when it was
    rejected, and one bad delivery must not fail every later run (``--strict`` still does)."""
    seen = ledger.lookup(con, file_id)
    ledger.note_duplicate_delivery(con, file_id, shown_name(lf))
    first = seen[0] if seen else shown_name(lf)
    reason = (
        "already ingested" if first == shown_name(lf) else f"same content as {first} (duplicate)"
    )
    rejected_before = seen is not None and seen[1] == "rejected"
    if rejected_before and seen:
        reason = f"rejected earlier, skipped until its content changes: {seen[2]}"
        log.warning("%s: %s", shown_name(lf), reason)
    return FileResult(
        file_name=shown_name(lf),
        file_id=file_id,
        format=lf.fmt,
        status="skipped",
        reason=reason,
        file_size=result.file_size,
        file_mtime_ns=result.file_mtime_ns,
        rejected_earlier=rejected_before,
    )


def _reject(
    con: duckdb.DuckDBPyConnection,
    lf: LandingFile,
    ctx: RunContext,
    result: FileResult,
    exc: BaseException,
) -> FileResult:
    reason = mask_text(full_reason(exc))
    log.warning("%s rejected: %s", shown_name(lf), reason)
    rows_read = _rows_as_far_as_counted(con, lf)
    rejected = FileResult(
        file_name=shown_name(lf),
        file_id=result.file_id,
        entity=result.entity,
        format=lf.fmt,
        encoding=result.encoding,
        profile=result.profile,
        status="rejected",
        reason=reason,
        file_size=result.file_size,
        file_mtime_ns=result.file_mtime_ns,
        rows_read=rows_read,
        content_sha256=result.content_sha256,
        headers=result.headers,
    )
    ledger.record(con, rejected, ctx.ingested_at)
    return rejected


MAX_REASON = 4000


def full_reason(exc: BaseException) -> str:
    """The whole message (DuckDB's run over several lines), on one line, bounded."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = " | ".join(lines) if lines else type(exc).__name__
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def _rows_as_far_as_counted(con: duckdb.DuckDBPyConnection, lf: LandingFile) -> int:
    """Records of a rejected file: those the reader split (when it got that far), else the
    lines after the header of a text format up to where it became unreadable."""
    with contextlib.suppress(duckdb.Error):
        (n_src,) = con.execute("select count(*) from src").fetchone()
        (n_rejects,) = con.execute("select count(*) from src_rejects").fetchone()
        return int(n_src + n_rejects)
    if lf.fmt not in ("csv", "csv.gz", "jsonl"):
        return 0
    lines = 0
    last = b"\n"
    # gzip by hand: the gzip module raises on a truncated archive before handing out what it
    # did decompress.
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS) if lf.fmt == "csv.gz" else None
    with contextlib.suppress(OSError, ValueError, zlib.error), lf.path.open("rb") as handle:
        while raw := handle.read(1 << 20):
            chunk = inflate.decompress(raw) if inflate else raw
            if chunk:
                lines += chunk.count(b"\n")
                last = chunk[-1:]
    lines += last != b"\n"  # a last line without a newline
    return max(lines - (lf.fmt != "jsonl"), 0)


def _drop_temporaries(con: duckdb.DuckDBPyConnection) -> None:
    """Drop every temporary table and view of the previous file."""
    rows = con.execute(
        "select table_name, table_type from information_schema.tables "
        "where table_catalog = 'temp' order by table_type desc"
    ).fetchall()
    for name, kind in rows:
        con.execute(f"drop {'view' if kind == 'VIEW' else 'table'} if exists temp.{ident(name)}")


def _prepare(prepared: PreparedFile, ctx: RunContext) -> None:
    """Read, type, classify and validate the file into its connection's temporary tables."""
    con, lf, result = prepared.con, prepared.lf, prepared.result
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
    if lf.path.is_symlink() and lf.path.parent.resolve() not in lf.path.resolve().parents:
        raise UnreadableFile(
            "a symbolic link to a file outside the landing folder; copy the export into the "
            "landing folder instead"
        )
    prepared.read_as_is = False
    headers = _read(con, lf, ctx, result, named, prepared)
    if not headers:
        raise UnreadableFile("empty file (no header row)")
    result.headers = [mask_text(h) for h in headers]
    entity = ENTITIES[entity_name]
    profile = choose_profile(ctx.profiles, entity_name, lf.name, headers)
    if _layout_differs(profile, prepared, result):
        # The profile recognised by the headers states another layout: read again with it.
        _drop_temporaries(con)
        prepared.read_as_is = False
        headers = _read(con, lf, ctx, result, profile, prepared)
        result.headers = [mask_text(h) for h in headers]
    result.profile = profile.name
    positions, extra = map_headers(profile, entity_name, headers)
    result.extra_columns = [mask_text(h) for h in extra]
    if lf.fmt == "jsonl":
        reject_nested_values(con, headers, sorted(positions.values()))
    try:
        templates = template_positions(profile, entity_name, headers)
    except KeyError as missing_header:
        raise UnreadableFile(
            f"profile {profile.name}: a template needs the header {missing_header.args[0]!r}, "
            f"which the file lacks (headers: {', '.join(headers)})"
        ) from None
    mapped = set(positions) | set(templates) | set(profile.defaults)
    missing = [c for c in entity.required if c not in mapped]
    if missing:
        raise UnreadableFile(_missing_columns_reason(missing, headers, prepared.delimiter, profile))
    timezone = profile.timezone or ctx.settings.timezone
    if timezone != ctx.settings.timezone:
        result.notes.append(
            f"profile {profile.name} reads naive times in {timezone}, but weeks and as_of follow "
            f"the platform time zone {ctx.settings.timezone}"
        )
    rule_ctx = RuleContext(
        entity=entity,
        profile=profile,
        positions=positions,
        timezone=timezone,
        key=ctx.key,
        templates=templates,
        nul_free=_nul_free(prepared),
    )
    prepared.defaulted = build_assumed(con, rule_ctx)
    build_typed(con, rule_ctx)
    # The content hash is needed from here on, and may reveal a known file.
    result.content_sha256 = prepared.digest.result().sha256 if prepared.digest else None
    if result.content_sha256:
        result.file_id, seen = ledger.identify(con, result.content_sha256, entity_name)
        if seen is not None:
            raise AlreadyIngested
    n_src = con.execute("select count(*) from src").fetchone()[0]
    n_rejects = con.execute("select count(*) from src_rejects").fetchone()[0]
    result.rows_read = n_src + n_rejects
    result.rows_duplicate = classify(con, entity_name)  # in-file repeats; the merge adds more
    prepared.validation = validate_batch(con, result, ctx.settings)
    exclude_failed_expectations(con, prepared.validation.failed_rows, prepared.validation.reason)
    keep_quarantined_source(con)
    prepared.headers = headers
    prepared.personal = {p for name, p in positions.items() if entity.column(name).personal}
    prepared.identifiers = frozenset(p for name, p in positions.items() if name.endswith("_id"))


def _nul_free(prepared: PreparedFile) -> bool:
    """Whether the text read is known to hold no NUL byte: a plain CSV read from its own bytes,
    which the content hash (finished by now: it runs while DuckDB reads) found none in."""
    if not prepared.read_as_is or prepared.lf.fmt != "csv" or prepared.digest is None:
        return False
    try:
        return not prepared.digest.result().has_nul
    except OSError:
        return False


def _write(prepared: PreparedFile, ctx: RunContext) -> None:
    """Inside the file's transaction: merge its rows, quarantine, warnings, expectation results."""
    con, result = prepared.con, prepared.result
    file_id = result.file_id or ""
    entity = ENTITIES[result.entity or ""]
    store_validation(con, prepared.validation, file_id)
    merged = merge_batch(con, entity, value_columns(entity.name), file_id, ctx.ingested_at)
    result.rows_quarantined = record_quarantine(
        con, file_id, result.file_name, prepared.headers, prepared.personal, prepared.identifiers
    )
    result.rows_loaded = merged.loaded
    result.rows_duplicate += merged.duplicate
    result.rows_superseded = merged.superseded
    record_warnings(con, result)
    record_assumed(con, result, prepared.defaulted, ctx.profiles)
    record_file_notes(con, result)
    ledger.check_reconciles(result)


def _missing_columns_reason(
    missing: list[str], headers: list[str], delimiter: str | None, profile: Profile
) -> str:
    """Why required columns are missing, naming the likely real cause."""
    reason = f"missing required column(s): {', '.join(missing)}"
    other = looks_delimited_by(headers, delimiter or ",") if delimiter else None
    if other:
        shown = "TAB" if other == "\t" else other
        return (
            f"the header has one column; the file looks {shown!r}-delimited "
            f"(set delimiter in profile {profile.name}, or leave it unset to detect it); {reason}"
        )
    return f"{reason} (profile {profile.name}; the file's headers: {', '.join(headers)})"


GLOB_CHARACTERS = set("*?[]{}")


def literal_path(lf: LandingFile, ctx: RunContext) -> Path:
    """A path DuckDB reads as exactly this file: its readers expand glob characters, so a file
    named ``orders_*.csv`` is read through a link (else a copy) under a plain name."""
    if not GLOB_CHARACTERS & set(lf.name):
        return lf.path
    plain = ctx.work_dir / f"literal-{abs(hash(lf.name))}{lf.name[lf.name.index('.') :]}"
    if not plain.exists():
        try:
            os.link(lf.path, plain)
        except OSError:
            shutil.copyfile(lf.path, plain)
    return plain


def _csv_layout(named: Profile | None) -> CsvLayout:
    """The CSV layout a profile states (None parts are detected)."""
    if named is None:
        return CsvLayout()
    return CsvLayout(named.delimiter, named.quote, named.skip_lines)


def _layout_differs(profile: Profile, prepared: PreparedFile, result: FileResult) -> bool:
    """Whether the chosen profile states a CSV layout or encoding other than the one read."""
    if prepared.lf.fmt not in ("csv", "csv.gz") or profile.builtin:
        return False
    return (
        (profile.delimiter is not None and profile.delimiter != prepared.delimiter)
        or (profile.skip_lines is not None and profile.skip_lines != prepared.skipped)
        or profile.quote != '"'
        or (
            profile.encoding is not None and normalise_encoding(profile.encoding) != result.encoding
        )
    )


def _read(
    con: duckdb.DuckDBPyConnection,
    lf: LandingFile,
    ctx: RunContext,
    result: FileResult,
    named: Profile | None,
    prepared: PreparedFile,
) -> list[str]:
    if lf.fmt in ("csv", "csv.gz"):
        return _read_csv_any_encoding(con, lf, ctx, result, named, prepared)
    if lf.fmt == "jsonl":
        return _read_jsonl_any_encoding(con, lf, ctx, result)
    if lf.fmt == "parquet":
        return read_parquet(con, literal_path(lf, ctx), ctx.limits).headers
    return read_xlsx(
        con, lf.path, ctx.known_headers | {normalise_header(h) for h in FALLBACK}, ctx.limits
    ).headers


def _read_jsonl_any_encoding(
    con: duckdb.DuckDBPyConnection, lf: LandingFile, ctx: RunContext, result: FileResult
) -> list[str]:
    """JSON Lines in UTF-8, read as it is; a file that is not all UTF-8 is validated line by
    line (see ``_read_csv_any_encoding``)."""
    result.encoding = "utf-8"
    if head_is_utf8(lf.path, "jsonl"):
        headers = read_jsonl(con, literal_path(lf, ctx), ctx.limits).headers
        if not invalid_utf8_seen(con):
            return headers
        _drop_temporaries(con)
    source = ctx.work_dir / f"{lf.name}.utf8.jsonl"
    kinds = line_kinds(lf.path, "jsonl")
    result.encoding = kinds.majority()
    scan = write_readable(lf.path, "jsonl", result.encoding, source, kinds.foreign(result.encoding))
    try:
        reasons = [line_reason(result.encoding, bad) for bad in scan.bad]
        return read_jsonl(con, source, ctx.limits, reasons).headers
    finally:
        source.unlink(missing_ok=True)


def _read_csv_any_encoding(
    con: duckdb.DuckDBPyConnection,
    lf: LandingFile,
    ctx: RunContext,
    result: FileResult,
    named: Profile | None,
    prepared: PreparedFile,
) -> list[str]:
    """UTF-8 when the bytes are valid UTF-8, else validated line by line.

    The first megabyte is checked in Python; the rest is checked by DuckDB while it reads (an
    invalid UTF-8 sequence anywhere makes it reject that record as INVALID ENCODING), so a UTF-8
    file is read once. A file that is not all UTF-8 is UTF-8 or GB18030 by the encoding most of
    its non-ASCII lines are in (unless a profile states it); it is read from a UTF-8 copy in
    which every line foreign to that encoding is marked so its record is quarantined with a
    reason naming the line and byte offset; no line is transcoded from a guessed encoding.
    """
    if lf.fmt == "csv.gz":
        check_decompressed_size(lf.path, ctx.settings.ingest_max_decompressed_bytes)
    stated = named.encoding if named and named.encoding else None
    if stated:
        encoding = normalise_encoding(stated)
    else:
        encoding = "utf-8" if head_is_utf8(lf.path, lf.fmt) else "gb18030"
    result.encoding = encoding
    layout = _csv_layout(named)
    known = ctx.known_headers

    def read(path: Path, reasons: list[str] | None = None) -> list[str]:
        read_result = read_csv(con, path, layout, known, ctx.limits, reasons)
        prepared.delimiter = read_result.delimiter
        prepared.skipped = read_result.skipped_lines
        return read_result.headers

    if encoding == "utf-8":
        try:
            headers = read(literal_path(lf, ctx))
        except UnreadableFile:
            if lf.fmt == "csv.gz":
                check_gzip(lf.path)  # a clearer reason for a truncated or corrupt archive
            raise
        if not invalid_utf8_seen(con):
            prepared.read_as_is = True
            return headers
        _drop_temporaries(con)
    kinds = line_kinds(lf.path, lf.fmt)
    if not stated:
        encoding = result.encoding = kinds.majority()
    source = ctx.work_dir / f"{lf.name}.utf8.csv"
    foreign = kinds.foreign(encoding)
    quote = layout.quote.encode()
    scan = write_readable(lf.path, lf.fmt, encoding, source, foreign, quote, header_lines=1)
    try:
        return read(source, [line_reason(encoding, bad) for bad in scan.bad])
    finally:
        source.unlink(missing_ok=True)
