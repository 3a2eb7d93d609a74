"""The ``daily-pipeline`` Prefect flow: ingest the landing folder, then build the marts, in one
atomic publish (readers see both steps or neither), recording per-file and per-model results as
run artifacts.

The ingest (``flows.ingest``) and build (``flows.build``) stages supply the plain functions; this
flow only sequences them, as ``complaints run`` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE

from flows.config import Settings, load_settings
from flows.errors import UserError
from flows.run_artifacts import publish_table
from flows.warehouse import publishing

FILE_COLUMNS = [
    "file_name",
    "entity",
    "status",
    "rows_read",
    "rows_loaded",
    "rows_quarantined",
    "rows_duplicate",
    "reason",
]
MODEL_COLUMNS = ["name", "resource_type", "status", "seconds", "failures", "message"]


def _stages() -> tuple[Any, Any]:
    """The ingest and build functions, or one clear error when a stage is not installed."""
    try:
        from flows.build import build_warehouse
        from flows.ingest import ingest_landing
    except ImportError as exc:
        raise UserError(f"the daily pipeline needs the ingest and build stages ({exc})") from None
    return ingest_landing, build_warehouse


@task(cache_policy=NONE)
def ingest_landing_folder(landing: Path, database: Path, settings: Settings) -> Any:
    """Load every landing file into the private copy of the warehouse."""
    ingest_landing, _ = _stages()
    return ingest_landing(landing, database, settings)


@task(cache_policy=NONE)
def build_marts(database: Path, settings: Settings, as_of: str | None) -> Any:
    """dbt build (models and tests) on the private copy."""
    _, build_warehouse = _stages()
    return build_warehouse(database, settings, as_of)


@flow(name="daily-pipeline")
def daily_pipeline(
    landing: str | None = None,
    warehouse: str | None = None,
    as_of: str | None = None,
    config_file: str | None = None,
) -> dict[str, int]:
    """Ingest + build, published atomically; fails (leaving the last good warehouse) when a
    stage fails."""
    logger = get_run_logger()
    settings = load_settings(config_file).with_paths(landing=landing, warehouse=warehouse)
    _stages()
    with publishing(settings.warehouse) as staging:
        ingested = ingest_landing_folder(settings.landing, staging, settings)
        built = build_marts(staging, settings, as_of)
    files = list(getattr(ingested, "files", []) or [])
    nodes = list(getattr(built, "nodes", []) or [])
    publish_table("daily-pipeline-files", files, "Ingest: one row per landing file", FILE_COLUMNS)
    publish_table(
        "daily-pipeline-models", nodes, "Build: one row per dbt model and test", MODEL_COLUMNS
    )
    logger.info(
        "published %s: %d files ingested, %d dbt nodes", settings.warehouse, len(files), len(nodes)
    )
    return {"files": len(files), "nodes": len(nodes)}
