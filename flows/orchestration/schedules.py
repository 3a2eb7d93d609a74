"""The scheduled deployments ``complaints serve`` runs: built here once, so the command and the
tests look at the same objects (names, crons and time zone come from ``flows/config.py``)."""

from __future__ import annotations

from typing import Any

from flows.config import Settings

DAILY_PIPELINE = "daily-pipeline"
WEEKLY_SCORECARDS = "weekly-scorecards"
HOURLY_ALERTS = "hourly-alerts"


def served_flows() -> dict[str, Any]:
    """The flows of the deployments, by flow name (``complaints serve`` runs them in-process)."""
    from flows.alerts.run import hourly_alerts
    from flows.orchestration.pipeline import daily_pipeline
    from flows.orchestration.scorecards import weekly_scorecards

    return {flow.name: flow for flow in (daily_pipeline, weekly_scorecards, hourly_alerts)}


def build_deployments(settings: Settings) -> list[Any]:
    """``daily-pipeline`` (ingest + build), ``weekly-scorecards`` and ``hourly-alerts``, each on
    its cron schedule in the platform time zone."""
    from prefect.schedules import Cron

    from flows.alerts.run import hourly_alerts
    from flows.orchestration.pipeline import daily_pipeline
    from flows.orchestration.scorecards import weekly_scorecards

    zone = settings.schedule_timezone
    return [
        daily_pipeline.to_deployment(
            name=DAILY_PIPELINE,
            schedules=[Cron(settings.daily_pipeline_cron, timezone=zone)],
            description="Ingest the landing folder and build the marts (one atomic publish).",
            tags=["complaints", "pipeline"],
        ),
        weekly_scorecards.to_deployment(
            name=WEEKLY_SCORECARDS,
            schedules=[Cron(settings.weekly_scorecards_cron, timezone=zone)],
            description="Write last week's merchant scorecards and mail each category team.",
            tags=["complaints", "scorecards"],
        ),
        hourly_alerts.to_deployment(
            name=HOURLY_ALERTS,
            schedules=[Cron(settings.alerts_cron, timezone=zone)],
            description="Send the alerts that are new or escalated to their recipients.",
            tags=["complaints", "alerts"],
        ),
    ]
