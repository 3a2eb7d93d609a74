"""The ``daily-pipeline`` Prefect flow: ``ingest_and_build`` (the plain function ``complaints
run`` calls) under Prefect, recording per-file and per-model results as run artifacts
(``daily-pipeline-files``, ``daily-pipeline-models``).
"""

from __future__ import annotations

from prefect import flow, get_run_logger

from flows.build.run import ingest_and_build
from flows.config import load_settings
from flows.errors import UserError
from flows.orchestration.run_artifacts import FILE_COLUMNS, MODEL_COLUMNS, publish_table


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
    settings = load_settings(config_file).with_paths(landing=landing, warehouse=warehouse)
    ingested, built = ingest_and_build(settings, as_of)
    publish_table(
        "daily-pipeline-files", ingested.files, "Ingest: one row per landing file", FILE_COLUMNS
    )
    publish_table(
        "daily-pipeline-models", built.nodes, "Build: one row per dbt model and test", MODEL_COLUMNS
    )
    get_run_logger().info(
        "published %s: %d files ingested, %d dbt nodes",
        settings.warehouse,
        len(ingested.files),
        len(built.nodes),
    )
    if ingested.rejected:
        names = ", ".join(f.file_name for f in ingested.rejected)
        raise UserError("err_published_rejected", names=names)
    return {"files": len(ingested.files), "nodes": len(built.nodes)}
