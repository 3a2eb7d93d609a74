"""``complaints dashboard``: serve the Streamlit dashboards on the warehouse."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from flows.cli import WarehouseOpt, app, clean_errors, settings_for

APP = Path(__file__).resolve().parent.parent / "dashboards" / "app.py"


def streamlit_command(host: str, port: int) -> list[str]:
    """The ``streamlit run`` command line for the dashboard app."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
        # The charts' plotly.js bundle (dashboards/static, see dashboards.charts).
        "--server.enableStaticServing",
        "true",
        # A served app does not watch its source files, nor force a full garbage collection
        # after every run: both held the interpreter while the browser was waiting for the
        # page's frontend code (a page's first render 0.1-0.2 s sooner each).
        "--server.fileWatcherType",
        "none",
        "--runner.postScriptGC",
        "false",
    ]


@app.command()
@clean_errors
def dashboard(
    warehouse: WarehouseOpt = None,
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (default 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default 8501).")] = None,
) -> None:
    """Serve the dashboards (quality managers' and analysts' views, SQL console)."""
    settings = settings_for(warehouse=warehouse)
    env = {**os.environ, "COMPLAINTS_WAREHOUSE": str(settings.warehouse.resolve())}
    host = host or settings.dashboard_host
    port = port or settings.dashboard_port
    if not settings.warehouse.exists():
        typer.echo(f"note: no warehouse at {settings.warehouse} yet; run 'complaints run' first")
    typer.echo(f"dashboard on http://{host}:{port} (warehouse {settings.warehouse})")
    completed = subprocess.run(streamlit_command(host, port), env=env, check=False)
    raise typer.Exit(completed.returncode)
