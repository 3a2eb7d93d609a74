"""``complaints serve``: run the scheduled deployments (daily pipeline, weekly scorecards)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from flows.cli.shared import app, clean_errors, settings_for
from flows.i18n import say

console = Console()


@app.command(help=say("cmd_serve"))
@clean_errors
def serve(
    fresh_process: Annotated[
        bool, typer.Option("--fresh-process", help=say("opt_fresh_process"))
    ] = False,
) -> None:
    """Run the schedules: daily pipeline (ingest + build) and weekly scorecards.

    Crons and time zone come from the configuration. Starts a local Prefect server in the
    background when PREFECT_API_URL is not set; run history and artifacts are in its UI. Flow
    runs execute in this process with dbt kept loaded (``flows/orchestration/in_process.py``),
    or each in a new process under Prefect's runner with ``--fresh-process``.
    """
    from flows.orchestration.prefect_server import local_server, ui_url

    settings = settings_for()
    host, port = settings.prefect_server_host, settings.prefect_server_port
    log_file = settings.reports.parent / "logs" / "prefect-server.log"
    with local_server(host, port, log_file) as api_url:
        from prefect import serve as prefect_serve
        from prefect.settings import (
            PREFECT_API_URL,
            PREFECT_RUNNER_POLL_FREQUENCY,
            temporary_settings,
        )

        from flows.orchestration.in_process import serve_in_process
        from flows.orchestration.schedules import build_deployments, served_flows

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
            if fresh_process:
                console.print(say("serve_running_fresh"))
                prefect_serve(*deployments, print_starting_message=False)
                return
            poll = float(PREFECT_RUNNER_POLL_FREQUENCY.value())

            def ready() -> None:
                console.print(say("serve_running"))

            try:
                serve_in_process(deployments, served_flows(), poll, on_ready=ready)
            except KeyboardInterrupt:
                console.print(say("serve_stopped"))
