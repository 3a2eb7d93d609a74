"""The ``daily-pipeline`` Prefect flow: ingest the landing folder, then build the marts, and
record per-file and per-model results as run artifacts.

The ingest (``flows.ingest``) and build (``flows.build``) stages supply the work. When they
offer plain functions on a given database (``ingest_landing``, ``build_warehouse``) both steps run
on one private copy and publish once, as ``complaints run`` does (readers see both or neither);
otherwise the ``ingest`` and ``build`` flows run one after the other as subflows, each publishing.
"""

from __future__ import annotations

import importlib
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


def _stage(module: str, *names: str) -> Any | None:
    """The first of ``names`` that ``module`` defines, or None (stage absent or older)."""
    try:
        loaded = importlib.import_module(module)
    except ImportError:
        return None
    return next((getattr(loaded, n) for n in names if hasattr(loaded, n)), None)


@task(cache_policy=NONE)
def ingest_landing_folder(landing: Path, database: Path, settings: Settings) -> Any:
    """Load every landing file into the private copy of the warehouse."""
    return _stage("flows.ingest", "ingest_landing")(landing, database, settings)


@task(cache_policy=NONE)
def build_marts(database: Path, settings: Settings, as_of: str | None) -> Any:
    """dbt build (models and tests) on the private copy."""
    return _stage("flows.build", "build_warehouse")(database, settings, as_of)


@flow(name="daily-pipeline")
def daily_pipeline(
    landing: str | None = None,
    warehouse: str | None = None,
    as_of: str | None = None,
    config_file: str | None = None,
) -> dict[str, int]:
    """Ingest + build; fails (leaving the last good warehouse) when a stage fails."""
    logger = get_run_logger()
    settings = load_settings(config_file).with_paths(landing=landing, warehouse=warehouse)
    ingest_fn = _stage("flows.ingest", "ingest_landing")
    build_fn = _stage("flows.build", "build_warehouse")
    if ingest_fn and build_fn:
        with publishing(settings.warehouse) as staging:
            ingested = ingest_landing_folder(settings.landing, staging, settings)
            built = build_marts(staging, settings, as_of)
    else:
        ingest_flow = _stage("flows.ingest", "ingest")
        build_flow = _stage("flows.build", "build")
        if ingest_flow is None or build_flow is None:
            raise UserError(
                "the daily pipeline needs the ingest and build stages (flows.ingest, flows.build)"
            )
        ingested = ingest_flow(
            landing=settings.landing, warehouse=settings.warehouse, settings=settings
        )
        built = build_flow(settings.warehouse, settings, as_of)
    files = list(getattr(ingested, "files", None) or [])
    nodes = list(getattr(built, "nodes", None) or [])
    publish_table("daily-pipeline-files", files, "Ingest: one row per landing file", FILE_COLUMNS)
    publish_table(
        "daily-pipeline-models", nodes, "Build: one row per dbt model and test", MODEL_COLUMNS
    )
    logger.info(
        "published %s: %d files ingested, %d dbt nodes", settings.warehouse, len(files), len(nodes)
    )
    return {"files": len(files), "nodes": len(nodes)}
