"""Great Expectations over each file's validated batch, in bounded pandas chunks.

The SQL rules (``rules``) are the authority that sends rows to quarantine; the entity's suite
(``expectations/<entity>.py``) checks the batch about to be loaded as a second, declarative line.
A row failing a row-level expectation is moved to quarantine before the merge. GX validates
pandas data frames (its SQL data source does not work on DuckDB), so the batch is fetched in
chunks of at most ``CHUNK_ROWS`` rows and the results are summed. Files larger than
``settings.gx_max_rows_per_file`` are validated on a repeatable random sample of that many rows;
``meta.expectation_results.scope`` says which rows were examined.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import duckdb

from flows.config import Settings
from flows.landing.classify import BATCH_COLUMNS
from flows.landing.ledger import FileResult
from flows.landing.sqltext import ident

CHUNK_ROWS = 100_000
# A passing chunk needs only counts; the list of failing row numbers is computed on failure.
_COUNTS_ONLY = {"result_format": "BASIC", "partial_unexpected_count": 0}
_WITH_ROWS = {
    "result_format": "COMPLETE",
    "unexpected_index_column_names": ["_row_number"],
    "partial_unexpected_count": 5,
}
log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """One expectation's results summed over the chunks."""

    expectation: str
    column: str | None
    success: bool = True
    element_count: int = 0
    unexpected_count: int = 0
    observed: list[str] = field(default_factory=list)


_LOCK = threading.Lock()


_warming: list[threading.Thread] = []


def warm_up() -> None:
    """Import GX and build the context in a background thread, once per process: the seconds
    of import overlap with DuckDB reading the first new file (DuckDB releases the GIL)."""
    if not _warming:
        thread = threading.Thread(target=_validator, name="gx-warm-up", daemon=True)
        _warming.append(thread)
        thread.start()


def _validator() -> Any:
    with _LOCK:
        return _build_validator()


@cache
def _build_validator() -> Any:
    """An ephemeral GX context with one pandas data-frame asset (built once per process)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    from expectations.gx import load_gx

    gx = load_gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.execution_engine import pandas_execution_engine

    # GX fingerprints every pandas batch below this size (a hash of all its values, taken twice
    # per validation: half the validation's time) for batch metadata that nothing here reads.
    pandas_execution_engine.HASH_THRESHOLD = 0

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("landing")
    return source.add_dataframe_asset("batch").add_batch_definition_whole_dataframe("frame")


@cache
def entity_suite(entity: str) -> Any:
    return importlib.import_module(f"expectations.{entity}").build_suite()


@dataclass
class Validation:
    """A file's suite results, ready to be stored, and the rows that failed row-level checks."""

    rows: list[list[Any]] = field(default_factory=list)  # meta.expectation_results, no file_id
    failed_rows: list[int] = field(default_factory=list)
    failed_expectations: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        """The quarantine reason of a row that failed an expectation."""
        return "failed expectation: " + ("; ".join(self.failed_expectations) or "unknown")


# GX data contexts are not made for concurrent use: files validate one at a time, while other
# files are read by DuckDB in the meantime.
_VALIDATING = threading.Lock()


def validate_batch(
    con: duckdb.DuckDBPyConnection, result: FileResult, settings: Settings
) -> Validation:
    """Validate temp view ``batch``; return the results and the row numbers that failed.

    Only reads: ``store_validation`` writes the results, inside the file's transaction.
    """
    total = con.execute("select count(*) from batch").fetchone()[0]
    if total == 0 or settings.gx_max_rows_per_file <= 0:
        return Validation()
    entity = result.entity or ""
    limit = min(total, settings.gx_max_rows_per_file)
    if limit < total:
        # Sampling the row numbers alone, then fetching those rows, is about half the cost of a
        # reservoir over every column.
        con.execute(
            f"create or replace temp table gx_sample as select _row_number from batch "
            f"using sample reservoir({int(limit)} rows) repeatable (7)"
        )
        # The sampled rows are batch rows: fetched from the typed table without the batch's
        # filters again (same rows and columns, a third less CPU on a large file).
        source = f"(select {BATCH_COLUMNS} from typed semi join gx_sample using (_row_number))"
        scope = f"sample of {limit} of {total} rows; SQL rules checked all rows"
    else:
        source = "batch"
        scope = f"all {total} rows"
    con.execute(f"create or replace temp table gx_rows as select * from {source}")
    # One chunk in pandas at a time, whatever gx_max_rows_per_file allows.
    columns = _frame_columns(con)
    # Through Arrow: the same pandas dtypes as ``.df()`` at a fifth of the time, most of it
    # outside the GIL that the other files' threads need.
    frames = (
        con.sql(
            f"select {columns} from gx_rows order by _row_number "
            f"limit {CHUNK_ROWS} offset {int(offset)}"
        )
        .to_arrow_table()
        .to_pandas()
        for offset in range(0, limit, CHUNK_ROWS)
    )
    definition = _validator()
    suite = entity_suite(entity)
    with _VALIDATING:
        outcomes, failed_rows = _validate_frames(definition, suite, frames)
    con.execute("drop table gx_rows")
    con.execute("drop table if exists gx_sample")
    validation = Validation(failed_rows=sorted(failed_rows))
    validation.rows = [
        [
            result.file_name,
            entity,
            suite.name,
            o.expectation,
            o.column,
            o.success,
            o.element_count,
            o.unexpected_count,
            "; ".join(dict.fromkeys(o.observed)) or None,
            scope,
        ]
        for o in outcomes.values()
    ]
    validation.failed_expectations = sorted(
        {
            o.expectation + (f" on {o.column}" if o.column else "")
            for o in outcomes.values()
            if not o.success
        }
    )
    if failed_rows:
        log.warning("%s: %d row(s) failed expectations", result.file_name, len(failed_rows))
    return validation


def _frame_columns(con: duckdb.DuckDBPyConnection) -> str:
    """The select list for the pandas chunks: decimals as doubles and integers as 64-bit, the
    dtypes GX compares with bounds in vectorised form (decimal objects go row by row in Python)."""
    out = []
    for name, kind, *_ in con.execute("describe gx_rows").fetchall():
        quoted = ident(name)
        if kind.startswith("DECIMAL"):
            out.append(f"cast({quoted} as double) as {quoted}")
        elif kind in ("TINYINT", "SMALLINT", "INTEGER"):
            out.append(f"cast({quoted} as bigint) as {quoted}")
        else:
            out.append(quoted)
    return ", ".join(out)


def _validate_frames(
    definition: Any, suite: Any, frames: Iterable[Any]
) -> tuple[dict[tuple[str, str | None], Outcome], set[int]]:
    """Run the suite on each chunk and sum the results per expectation."""
    outcomes: dict[tuple[str, str | None], Outcome] = {}
    failed_rows: set[int] = set()
    for frame in frames:
        batch = definition.get_batch(batch_parameters={"dataframe": frame})
        report = batch.validate(suite, result_format=_COUNTS_ONLY)
        if not report.success:
            # Row numbers are only needed when something failed: fetch them then, not every time.
            report = batch.validate(suite, result_format=_WITH_ROWS)
        for item in report.results:
            config = item.expectation_config
            column = config.kwargs.get("column") or ",".join(
                config.kwargs.get("column_list") or [config.kwargs.get("column_A") or ""]
            )
            key = (config.type, column or None)
            outcome = outcomes.setdefault(key, Outcome(config.type, column or None))
            details = item.result or {}
            outcome.success &= bool(item.success)
            outcome.element_count += int(details.get("element_count") or len(frame))
            outcome.unexpected_count += int(details.get("unexpected_count") or 0)
            if "observed_value" in details:
                outcome.observed.append(str(details["observed_value"]))
            for index in details.get("unexpected_index_list") or []:
                if isinstance(index, dict) and "_row_number" in index:
                    failed_rows.add(int(index["_row_number"]))
    return outcomes, failed_rows


def store_validation(con: duckdb.DuckDBPyConnection, validation: Validation, file_id: str) -> None:
    """Write the suite results into ``meta.expectation_results`` (under the file's content id)."""
    if validation.rows:
        con.executemany(
            "insert into meta.expectation_results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "current_timestamp, ?)",
            [[file_id, *row] for row in validation.rows],
        )
