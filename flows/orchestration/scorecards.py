"""The ``weekly-scorecards`` Prefect flow: ``run_scorecards`` (the plain function
``complaints scorecards`` calls) under Prefect, with the run's results recorded as artifacts.

Sending retries with exponential backoff inside the delivery step
(``flows.scorecard.mailer.send_with_retries``), where the ledger is consulted before and written
after each message, so a rerun can never mail twice.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from flows.config import load_settings
from flows.orchestration.run_artifacts import artifact_key, publish_table
from flows.scorecard.mailer import smtp_from_env
from flows.scorecard.report import DeliveryFailed, ScorecardReport
from flows.scorecard.run import run_scorecards


def _record(report: ScorecardReport) -> None:
    key = artifact_key(f"scorecards-{report.week}")
    publish_table(f"{key}-files", report.file_rows(), f"Scorecard files for {report.week}")
    publish_table(f"{key}-deliveries", report.delivery_rows(), f"Deliveries for {report.week}")
    create_markdown_artifact(report.markdown(), key=key, description="Scorecard run summary")
    get_run_logger().info(report.summary())


@flow(name="weekly-scorecards", log_prints=True)
def weekly_scorecards(
    week: str | None = None,
    category: str | None = None,
    lang: str | None = None,
    warehouse: str | None = None,
    out: str | None = None,
    deliver: bool = True,
    resend: bool = False,
    config_file: str | None = None,
) -> ScorecardReport:
    """Weekly merchant scorecards for every category (or one), delivered to category teams.

    Defaults: the last complete ISO week before the build's ``as_of``, the configured language,
    ``<reports>/scorecards/<week>/``. Fails (after writing every file and trying every
    category) when a category's email could not be sent.
    """
    settings = load_settings(config_file).with_paths(warehouse=warehouse)
    try:
        report = run_scorecards(
            settings,
            week=week,
            category=category,
            lang=lang,
            out=Path(out) if out else None,
            smtp=smtp_from_env(timeout=settings.smtp_timeout_seconds) if deliver else None,
            deliver=deliver,
            resend=resend,
        )
    except DeliveryFailed as failed:
        _record(failed.report)
        raise
    _record(report)
    return report
