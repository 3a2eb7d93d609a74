"""The ``daily-pipeline`` Prefect flow: ingest the landing folder, then build the marts, in one
atomic publish (readers see both steps or neither, as with ``complaints run``), recording
per-file and per-model results as run artifacts (``daily-pipeline-files``,
``daily-pipeline-models``).
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE

from flows.config import Settings, load_settings
from flows.errors import UserError
from flows.run_artifacts import FILE_COLUMNS, MODEL_COLUMNS, publish_table
from flows.warehouse import publishing


@task(cache_policy=NONE)
def ingest_landing_folder(landing: Path, database: Path, settings: Settings):
    """Load every landing file into the private copy of the warehouse."""
    from flows.landing.pipeline import ingest_landing

    return ingest_landing(landing, database, settings)


@task(cache_policy=NONE)
def build_marts(database: Path, settings: Settings, as_of: str | None):
    """dbt build (models and tests) on the private copy; raises when a model or test fails."""
    from flows.build import build_warehouse

    return build_warehouse(database, settings, as_of)


@flow(name="daily-pipeline")
def daily_pipeline(
    landing: str | None = None,
    warehouse: str | None = None,
    as_of: str | None = None,
    config_file: str | None = None,
) -> dict[str, int]:
    """Ingest + build, published once; a failed stage leaves the last good warehouse in place.

    Files the ingest rejected are recorded (and fail the run, after publishing what loaded, as
    ``complaints run`` exits non-zero).
    """
    logger = get_run_logger()
    settings = load_settings(config_file).with_paths(landing=landing, warehouse=warehouse)
    if not settings.landing.is_dir():
        raise UserError(f"no landing folder at {settings.landing}")
    with publishing(settings.warehouse) as staging:
        ingested = ingest_landing_folder(settings.landing, staging, settings)
        built = build_marts(staging, settings, as_of)
    publish_table(
        "daily-pipeline-files", ingested.files, "Ingest: one row per landing file", FILE_COLUMNS
    )
    publish_table(
        "daily-pipeline-models", built.nodes, "Build: one row per dbt model and test", MODEL_COLUMNS
    )
    logger.info(
        "published %s: %d files ingested, %d dbt nodes",
        settings.warehouse,
        len(ingested.files),
        len(built.nodes),
    )
    if ingested.rejected:
        names = ", ".join(f.file_name for f in ingested.rejected)
        raise UserError(f"published, but these landing files were rejected: {names}")
    return {"files": len(ingested.files), "nodes": len(built.nodes)}
