"""Building the marts: ``dbt build`` (models, tests, unit tests) on a warehouse, then publishing.

The work is in plain functions: ``build_warehouse`` runs dbt on a given DuckDB file,
``build_and_publish`` runs it on a private copy of the live warehouse and publishes it only when
every model and test passed (``complaints build``), ``ingest_and_build`` is the daily job
(``complaints run`` and the scheduled ``daily-pipeline`` flow).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from flows.build.as_of import check_as_of, loaded_span, parse_as_of
from flows.build.dbt_events import wants_events
from flows.build.incremental import plan_build, record_build, record_start
from flows.config import Settings
from flows.errors import UserError
from flows.i18n import node_word, say
from flows.landing.schema import META_DDL
from flows.warehouse import publishing
from flows.working_calendar import write_calendar

if TYPE_CHECKING:
    from flows.landing.pipeline import IngestReport

PROJECT_DIR = Path(__file__).resolve().parents[2]
DATABASE_ENV = "COMPLAINTS_DBT_DATABASE"
MEMORY_ENV = "COMPLAINTS_DBT_MEMORY_LIMIT"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NodeResult:
    """What dbt reported for one model, test or unit test."""

    name: str
    resource_type: str
    status: str
    seconds: float
    failures: int | None
    message: str | None

    @property
    def failed(self) -> bool:
        return self.status in {"error", "fail", "runtime error"}


@dataclass(frozen=True)
class BuildResult:
    """The outcome of one ``dbt build``."""

    success: bool
    seconds: float
    as_of: str | None
    nodes: list[NodeResult] = field(default_factory=list)
    incremental: bool = False  # redid only the order weeks touched since the last build

    @property
    def failed_nodes(self) -> list[NodeResult]:
        return [node for node in self.nodes if node.failed]

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for node in self.nodes:
            counts[node.status] = counts.get(node.status, 0) + 1
        parts = say("list_sep").join(
            say("build_count", count=count, status=node_word(status))
            for status, count in sorted(counts.items())
        )
        outcome = say("build_passed" if self.success else "build_failed")
        return say("build_summary", outcome=outcome, seconds=f"{self.seconds:.1f}", parts=parts)


@contextmanager
def _database_env(
    database: Path, settings: Settings, extra_env: dict[str, str] | None = None
) -> Iterator[None]:
    """Point profiles.yml at ``database`` (and its DuckDB memory cap) for one dbt invocation."""
    with environment(
        {DATABASE_ENV: str(database), MEMORY_ENV: settings.build_memory_limit, **(extra_env or {})}
    ):
        yield


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """``values`` set in the environment while the block runs (what dbt's ``env_var`` reads),
    the previous ones restored after."""
    previous = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def dbt_args(
    command: list[str],
    settings: Settings,
    as_of: str | None,
    target_path: Path,
    log_path: Path,
) -> list[str]:
    """The dbt command line: project and profile at the repository root, vars from the config."""
    return [
        *command,
        "--no-send-anonymous-usage-stats",
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(target_path),
        "--log-path",
        str(log_path),
        "--log-level-file",
        settings.build_log_level,
        "--vars",
        json.dumps(settings.dbt_vars(as_of)),
    ]


def build_command(settings: Settings, with_tests: bool, full: bool) -> list[str]:
    """``dbt build`` (models and data tests, unit tests when the settings ask for them), or
    ``dbt run`` (models alone) without tests; ``--full-refresh`` for a full build."""
    if not with_tests:
        command = ["run"]
    elif settings.build_unit_tests:
        command = ["build"]
    else:
        command = ["build", "--exclude-resource-type", "unit_test"]
    return [*command, *(["--full-refresh"] if full else [])]


def run_dbt(
    command: list[str],
    database: Path,
    settings: Settings,
    as_of: str | None = None,
    target_path: Path | None = None,
    log_path: Path | None = None,
    progress: Callable[[int | None, str], None] | None = None,
    extra_env: dict[str, str] | None = None,
):
    """Invoke dbt in-process on ``database``; returns dbt's own result object.

    ``progress(total, node_name)`` is called as each model, test or unit test finishes.
    """
    from dbt.cli.main import dbtRunner  # heavy import: only when building

    from flows.build import dbt_events, dbt_session
    from flows.build.collections import full_collections_held_back

    paths = (target_path or PROJECT_DIR / "target", log_path or PROJECT_DIR / "logs")
    args = dbt_args(command, settings, as_of, *paths)
    dbt_events.install()
    with (
        _database_env(Path(database).resolve(), settings, extra_env),
        full_collections_held_back(),
    ):
        runs_unit_tests = "unit_test" not in command
        callbacks = [_node_progress(progress, runs_unit_tests)] if progress else []
        try:
            session = dbt_session.active()  # ``complaints serve`` keeps dbt loaded
            if session is not None:
                parse_args = dbt_args(["parse"], settings, as_of, *paths)
                dbt_vars = settings.dbt_vars(as_of)
                return session.invoke(args, parse_args, dbt_vars, Path(database), callbacks)
            return dbtRunner(callbacks=callbacks).invoke(["--quiet", *args])
        finally:
            release_dbt_database()


def release_dbt_database() -> None:
    """Close the DuckDB database dbt-duckdb keeps open after ``invoke`` returns.

    dbt-duckdb holds one database instance per process (``DuckDBConnectionManager._ENV``) for
    reuse by the next invocation. Left open, it keeps DuckDB's exclusive file lock on the private
    copy, which the publish then renames onto the live name: every reader in another process got
    "Could not set lock" until the writer exited. Closing it before the rename ends that window.
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        env = DuckDBConnectionManager._ENV
        DuckDBConnectionManager._ENV = None
        if env is not None:
            env.close()


# dbt announces what it found ("41 models, 156 data tests, 10 sources, 16 unit tests, ...");
# the nodes a build runs are the models, seeds, snapshots and tests among them (the unit tests
# only when the build runs them).
_RUN_NODES = re.compile(r"(\d+) (?:models?|seeds?|snapshots?|data tests?)\b")
_UNIT_TESTS = re.compile(r"(\d+) unit tests?\b")


def _node_progress(
    progress: Callable[[int | None, str], None], unit_tests: bool = True
) -> Callable[[object], None]:
    """A dbt event callback reporting each finished node (with the total once dbt knows it)."""
    total: list[int | None] = [None]
    counted = (_RUN_NODES, _UNIT_TESTS) if unit_tests else (_RUN_NODES,)

    @wants_events("FoundStats", "NodeFinished")
    def on_event(event) -> None:
        name = event.info.name
        if name == "FoundStats":
            line = event.data.stat_line
            total[0] = sum(int(n) for pattern in counted for n in pattern.findall(line)) or None
        elif name == "NodeFinished":
            progress(total[0], event.data.node_info.node_name)

    return on_event


def node_results(result) -> list[NodeResult]:
    nodes = []
    for item in getattr(result, "results", None) or []:
        node = item.node
        nodes.append(
            NodeResult(
                name=node.name,
                resource_type=str(getattr(node.resource_type, "value", node.resource_type)),
                status=str(getattr(item.status, "value", item.status)),
                seconds=float(item.execution_time or 0.0),
                failures=item.failures,
                message=item.message,
            )
        )
    return nodes


def build_warehouse(
    database: Path,
    settings: Settings,
    as_of: str | None = None,
    target_path: Path | None = None,
    log_path: Path | None = None,
    force: bool = False,
    progress: Callable[[int | None, str], None] | None = None,
    full_refresh: bool = False,
    with_tests: bool = True,
) -> BuildResult:
    """Run ``dbt build`` (every model, test and unit test) on ``database`` in place.

    Raises ``UserError`` naming the failed models and tests; callers that publish do so only
    after this returns. A reference time outside the loaded data is refused unless ``force``.
    Incremental when the warehouse holds a previous build with the same settings and models,
    full otherwise or with ``full_refresh`` (flows/build/incremental.py). ``with_tests=False``
    runs the models alone (``dbt run``), for checks that compare the marts of many builds.
    """
    database = Path(database)
    if not database.exists():
        raise UserError("err_no_warehouse_ingest", path=database)
    instant = parse_as_of(as_of, settings.timezone) if as_of else None
    with duckdb.connect(str(database)) as con:
        span = loaded_span(con)
    check_as_of(instant, span, settings.as_of_max_days_after_data, force)
    started = time.perf_counter()
    prepare_sources(database, settings, instant)
    effective_as_of = datetime.fromisoformat(instant) if instant else span.latest
    with duckdb.connect(str(database)) as con:
        plan = plan_build(con, settings, effective_as_of, full_refresh)
        record_start(con)
    log.info("build mode: %s (%s)", "full" if plan.full else "incremental", plan.reason)
    command = build_command(settings, with_tests, plan.full)
    outcome = run_dbt(
        command,
        database,
        settings,
        instant,
        target_path,
        log_path,
        progress,
        extra_env=plan.dbt_env(),
    )
    nodes = node_results(outcome.result)
    result = BuildResult(
        success=bool(outcome.success),
        seconds=time.perf_counter() - started,
        as_of=instant,
        nodes=nodes,
        incremental=not plan.full,
    )
    if result.success:
        with duckdb.connect(str(database)) as con:
            record_build(con, plan, effective_as_of)
    for node in nodes:
        log.info(
            "%s %s: %s in %.2fs%s",
            node.resource_type,
            node.name,
            node.status,
            node.seconds,
            f" ({node.failures} failing rows)" if node.failures else "",
        )
    if not result.success:
        raise UserError(failure_message(result, outcome.exception))
    log.info(result.summary())
    return result


def prepare_sources(database: Path, settings: Settings, as_of: str | None = None) -> None:
    """Write what dbt reads besides the ingest's tables: the newer meta tables an older warehouse
    lacks, the working-day calendar and the text tables (also before ``complaints export-raw``)."""
    with duckdb.connect(str(database)) as con:
        # A warehouse last ingested by an older release lacks the newer meta tables dbt reads.
        con.execute("create schema if not exists meta")
        con.execute(META_DDL)
        write_calendar(con, settings, as_of)
    prepare_text(database, settings)


def _import_build_modules() -> None:
    """What the build needs next: dbt, and the prior fit its Python models call (scipy's
    optimiser; ≈ 1.7 s of imports that the first Python model would otherwise pay mid-build)."""
    from dbt.cli.main import dbtRunner  # noqa: F401

    import flows.priors  # noqa: F401


def prepare_text(database: Path, settings: Settings) -> None:
    """Segment the descriptions not segmented yet and group the unclassified complaints: the
    text marts read both from ``meta``.

    The segmenting and grouping run in a worker process (``flows.text.worker``) while this one
    imports dbt, which the build needs next: both are seconds of Python that ran one after the
    other on one core.
    """
    from flows.text import worker
    from flows.text.groups import unclassified_descriptions, write_groups
    from flows.text.segment import segmenter_version
    from flows.text.store import pending_descriptions, write_terms

    started = time.perf_counter()
    version = segmenter_version()
    with duckdb.connect(str(database)) as con:
        pending, stale = pending_descriptions(con, version)
        rows = unclassified_descriptions(con)
    work = (
        [description for _, description in pending],
        [description for _, description in rows],
        settings.text_groups,
        settings.text_groups_seed,
    )
    if "dbt.cli.main" in sys.modules:  # a later build in this process: nothing to overlap
        terms, grouping = worker.text_work(*work)
    else:
        terms, grouping = worker.run_beside(_import_build_modules, *work)
    with duckdb.connect(str(database)) as con:
        write_terms(con, pending, terms, version, stale, started)
        write_groups(con, rows, grouping)


def failure_message(result: BuildResult, exception: BaseException | None) -> str:
    failed = result.failed_nodes
    if not failed:
        reason = say("node_message", detail=exception) if exception else ""
        return say("err_build_before_models", reason=reason)
    named = "; ".join(
        say(
            "build_node",
            kind=node_word(node.resource_type),
            name=node.name,
            status=node_word(node.status),
        )
        + (say("node_failing_rows", n=node.failures) if node.failures else "")
        + (
            say("node_message", detail=_first_line(node.message))
            if node.message and node.status == "error"
            else ""
        )
        for node in failed[:5]
    )
    more = say("err_build_more", n=len(failed) - 5) if len(failed) > 5 else ""
    return say("err_build_failed", named=named, more=more)


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0][:300] if text.strip() else text


def build_and_publish(
    warehouse: Path,
    settings: Settings,
    as_of: str | None = None,
    target_path: Path | None = None,
    log_path: Path | None = None,
    force: bool = False,
    progress: Callable[[int | None, str], None] | None = None,
    full_refresh: bool = False,
) -> BuildResult:
    """Build on a private copy of ``warehouse`` and publish it only if the build passed."""
    warehouse = Path(warehouse)
    if not warehouse.exists():
        raise UserError("err_no_warehouse_ingest", path=warehouse)
    with publishing(warehouse) as staging:
        return build_warehouse(
            staging, settings, as_of, target_path, log_path, force, progress, full_refresh
        )


def generate_docs(database: Path, settings: Settings, target_path: Path | None = None) -> Path:
    """Write dbt's static documentation site (index.html, manifest, catalog) into the target."""
    target = target_path or PROJECT_DIR / "target"
    outcome = run_dbt(["docs", "generate", "--static"], Path(database), settings, None, target)
    if not outcome.success:
        raise UserError("err_docs_failed", detail=outcome.exception or say("see_dbt_log"))
    return target / "static_index.html"


def ingest_and_build(
    settings: Settings,
    as_of: str | None = None,
    force: bool = False,
    stage: Callable[[str], AbstractContextManager[Progress | None]] | None = None,
    on_ingested: Callable[[IngestReport], None] | None = None,
    full_refresh: bool = False,
) -> tuple[IngestReport, BuildResult]:
    """The daily job: ingest the landing folder, then build the marts, in one atomic publish
    (readers see both steps or neither). What ``complaints run`` and the scheduled
    ``daily-pipeline`` flow both call. Raises UserError when the build fails (nothing is
    published); files the ingest rejected are in the report (the others are published).

    ``stage(name)`` wraps each step ("ingest", "build") and yields its progress callback (the
    command line's progress bars); ``on_ingested`` sees the ingest report before the build.
    """
    from flows.landing.pipeline import ingest_landing

    stage = stage or _no_progress
    if not settings.landing.is_dir():
        raise UserError("err_no_landing", path=settings.landing)
    with publishing(settings.warehouse) as staging:
        with stage("ingest") as progress:
            report = ingest_landing(settings.landing, staging, settings, progress=progress)
        if on_ingested is not None:
            on_ingested(report)
        with stage("build") as progress:
            result = build_warehouse(
                staging, settings, as_of, force=force, progress=progress, full_refresh=full_refresh
            )
    return report, result


Progress = Callable[[int | None, str], None]


@contextmanager
def _no_progress(name: str) -> Iterator[None]:
    yield None
