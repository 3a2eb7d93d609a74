"""``complaints serve``: run the scheduled deployments (daily pipeline, weekly scorecards)."""

from __future__ import annotations

from rich.console import Console

from flows.cli.shared import app, clean_errors, settings_for
from flows.i18n import say

console = Console()


@app.command(help=say("cmd_serve"))
@clean_errors
def serve() -> None:
    """Run the schedules: daily pipeline (ingest + build) and weekly scorecards.

    Crons and time zone come from the configuration. Starts a local Prefect server in the
    background when PREFECT_API_URL is not set; run history and artifacts are in its UI.
    """
    from flows.orchestration.prefect_server import local_server, ui_url

    settings = settings_for()
    host, port = settings.prefect_server_host, settings.prefect_server_port
    log_file = settings.reports.parent / "logs" / "prefect-server.log"
    with local_server(host, port, log_file) as api_url:
        from prefect import serve as prefect_serve
        from prefect.settings import PREFECT_API_URL, temporary_settings

        from flows.orchestration.schedules import build_deployments

        shown = api_url.removesuffix("/api") if api_url.endswith("/api") else ui_url(host, port)
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            deployments = build_deployments(settings)
            console.print(say("serve_ui", url=shown), highlight=False)
            for deployment in deployments:
                schedule = deployment.schedules[0].schedule
                line = say(
                    "serve_schedule",
                    name=deployment.name,
                    cron=schedule.cron,
                    zone=schedule.timezone,
                )
                console.print(line, highlight=False)
            console.print(say("serve_running"))
            prefect_serve(*deployments, print_starting_message=False)
