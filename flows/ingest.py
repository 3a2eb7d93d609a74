"""Prefect flow ``ingest``: every landing file into the warehouse, one thin task per file.

The work lives in ``flows.landing`` (plain functions, testable without Prefect). A file that cannot
be read is rejected in the ledger by its own task and the others go on; only I/O errors are
retried. The flow writes a private copy of the warehouse and publishes it atomically at the end.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.config import Settings, load_settings
from flows.landing.discovery import LandingFile, discover
from flows.landing.key_fingerprint import check_key
from flows.landing.ledger import FileResult
from flows.landing.pipeline import (
    FilePreparer,
    IngestReport,
    PreparedFile,
    RunContext,
    commit_file,
    connect,
    file_connection,
    make_context,
    prepare_file,
    reject_after_io_failure,
)
from flows.landing.schema import ensure_schema
from flows.run_artifacts import FILE_COLUMNS, publish_table
from flows.warehouse import publishing


def _io_error(task, task_run, state) -> bool:
    """Retry only when the failure was I/O (a flaky mount), never on bad data."""
    try:
        state.result()
    except OSError:
        return True
    except Exception:
        return False
    return False


@task(cache_policy=NO_CACHE)
def list_landing_files(landing: Path) -> list[LandingFile]:
    """The files directly in the landing folder."""
    return discover(landing)


@task(
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=[1, 5],
    retry_condition_fn=_io_error,
    task_run_name="ingest {prepared.lf.name}",
)
def ingest_one_file(
    con: duckdb.DuckDBPyConnection, prepared: PreparedFile, ctx: RunContext
) -> FileResult:
    """Load, quarantine or reject one file (a no-op when its content is already ingested).

    The file arrives read and validated in the background; a retry reads it again.
    """
    if prepared.committed:
        prepared = prepare_file(file_connection(con, ctx), prepared.lf, ctx)
    result = commit_file(prepared, ctx, raise_io=True)
    get_run_logger().info(
        "%s: %s (%d read, %d loaded, %d quarantined, %d duplicate)",
        result.file_name,
        result.status,
        result.rows_read,
        result.rows_loaded,
        result.rows_quarantined,
        result.rows_duplicate,
    )
    return result


@flow(name="ingest", log_prints=False)
def ingest(
    landing: Path | None = None,
    warehouse: Path | None = None,
    profiles: Path | None = None,
    settings: Settings | None = None,
) -> IngestReport:
    """Ingest the landing folder into the warehouse and publish it."""
    settings = (settings or load_settings()).with_paths(landing=landing, warehouse=warehouse)
    report = IngestReport()
    with (
        publishing(settings.warehouse) as database,
        tempfile.TemporaryDirectory(prefix="ingest-") as work,
    ):
        ctx = make_context(settings, Path(work), profiles)
        con = connect(database, settings)
        try:
            ensure_schema(con)
            check_key(con, ctx.key, settings.key_file)
            files = list_landing_files(settings.landing)
            with FilePreparer(con, files, ctx) as preparer:
                for prepared in preparer:
                    try:
                        result = ingest_one_file(con, prepared, ctx)
                    except OSError as exc:  # still failing after the retries: reject, go on
                        result = reject_after_io_failure(con, prepared.lf, ctx, exc)
                    report.files.append(result)
            con.execute("checkpoint")
        finally:
            con.close()
    publish_table("ingest-files", report.files, "Ingest: one row per landing file", FILE_COLUMNS)
    return report


if __name__ == "__main__":
    ingest()
