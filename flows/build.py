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
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flows.as_of import parse_as_of
from flows.config import Settings
from flows.errors import UserError
from flows.warehouse import publishing

if TYPE_CHECKING:
    from flows.landing.pipeline import IngestReport

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATABASE_ENV = "COMPLAINTS_DBT_DATABASE"
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

    @property
    def failed_nodes(self) -> list[NodeResult]:
        return [node for node in self.nodes if node.failed]

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for node in self.nodes:
            counts[node.status] = counts.get(node.status, 0) + 1
        parts = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
        return (
            f"dbt build {'passed' if self.success else 'FAILED'} in {self.seconds:.1f}s ({parts})"
        )


@contextmanager
def _database_env(database: Path) -> Iterator[None]:
    """Point profiles.yml at ``database`` for the duration of one dbt invocation."""
    previous = os.environ.get(DATABASE_ENV)
    os.environ[DATABASE_ENV] = str(database)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(DATABASE_ENV, None)
        else:
            os.environ[DATABASE_ENV] = previous


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
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(target_path),
        "--log-path",
        str(log_path),
        "--vars",
        json.dumps(settings.dbt_vars(as_of)),
    ]


def run_dbt(
    command: list[str],
    database: Path,
    settings: Settings,
    as_of: str | None = None,
    target_path: Path | None = None,
    log_path: Path | None = None,
):
    """Invoke dbt in-process on ``database``; returns dbt's own result object."""
    from dbt.cli.main import dbtRunner  # heavy import: only when building

    args = dbt_args(
        command,
        settings,
        as_of,
        target_path or PROJECT_DIR / "target",
        log_path or PROJECT_DIR / "logs",
    )
    with _database_env(Path(database).resolve()):
        return dbtRunner().invoke(["--quiet", *args])


def _node_results(result) -> list[NodeResult]:
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
) -> BuildResult:
    """Run ``dbt build`` (every model, test and unit test) on ``database`` in place.

    Raises ``UserError`` naming the failed models and tests; callers that publish do so only
    after this returns.
    """
    database = Path(database)
    if not database.exists():
        raise UserError(f"no warehouse at {database}: run 'complaints ingest' first")
    instant = parse_as_of(as_of, settings.timezone) if as_of else None
    started = time.perf_counter()
    outcome = run_dbt(["build"], database, settings, instant, target_path, log_path)
    nodes = _node_results(outcome.result)
    result = BuildResult(
        success=bool(outcome.success),
        seconds=time.perf_counter() - started,
        as_of=instant,
        nodes=nodes,
    )
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
        raise UserError(_failure_message(result, outcome.exception))
    log.info(result.summary())
    return result


def _failure_message(result: BuildResult, exception: BaseException | None) -> str:
    failed = result.failed_nodes
    if not failed:
        reason = f": {exception}" if exception else ""
        return f"dbt build failed before running any model{reason}"
    named = "; ".join(
        f"{node.resource_type} {node.name} {node.status}"
        + (f" ({node.failures} failing rows)" if node.failures else "")
        + (f": {_first_line(node.message)}" if node.message and node.status == "error" else "")
        for node in failed[:5]
    )
    more = f" and {len(failed) - 5} more" if len(failed) > 5 else ""
    return f"dbt build failed, the warehouse was not published: {named}{more}"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0][:300] if text.strip() else text


def build_and_publish(
    warehouse: Path,
    settings: Settings,
    as_of: str | None = None,
    target_path: Path | None = None,
    log_path: Path | None = None,
) -> BuildResult:
    """Build on a private copy of ``warehouse`` and publish it only if the build passed."""
    warehouse = Path(warehouse)
    if not warehouse.exists():
        raise UserError(f"no warehouse at {warehouse}: run 'complaints ingest' first")
    with publishing(warehouse) as staging:
        return build_warehouse(staging, settings, as_of, target_path, log_path)


def generate_docs(database: Path, settings: Settings, target_path: Path | None = None) -> Path:
    """Write dbt's static documentation site (index.html, manifest, catalog) into the target."""
    target = target_path or PROJECT_DIR / "target"
    outcome = run_dbt(["docs", "generate", "--static"], Path(database), settings, None, target)
    if not outcome.success:
        raise UserError(f"dbt docs generate failed: {outcome.exception or 'see logs/dbt.log'}")
    return target / "static_index.html"


def ingest_and_build(
    settings: Settings, as_of: str | None = None
) -> tuple[IngestReport, BuildResult]:
    """The daily job: ingest the landing folder, then build the marts, in one atomic publish
    (readers see both steps or neither). What ``complaints run`` and the scheduled
    ``daily-pipeline`` flow both call. Raises UserError when the build fails (nothing is
    published); files the ingest rejected are in the report (the others are published)."""
    from flows.landing.pipeline import ingest_landing

    if not settings.landing.is_dir():
        raise UserError(f"no landing folder at {settings.landing}")
    with publishing(settings.warehouse) as staging:
        report = ingest_landing(settings.landing, staging, settings)
        result = build_warehouse(staging, settings, as_of)
    return report, result
