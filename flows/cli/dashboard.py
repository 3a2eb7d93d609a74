"""``complaints dashboard``: serve the Streamlit dashboards on the warehouse."""

from __future__ import annotations

import ipaddress
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from flows.cli.shared import WarehouseOpt, app, clean_errors, settings_for
from flows.errors import UserError
from flows.i18n import say

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"


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


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or the name localhost: reachable from this machine only."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to any interface


@app.command("hash-password", help=say("cmd_hash_password"))
@clean_errors
def hash_password_command() -> None:
    """Print a bcrypt hash of a password (asked twice, never echoed) for the users file."""
    from dashboards.auth import hash_password

    password = typer.prompt(say("password_prompt"), hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        raise UserError("err_short_password")
    typer.echo(hash_password(password))


@app.command(help=say("cmd_dashboard"))
@clean_errors
def dashboard(
    warehouse: WarehouseOpt = None,
    host: Annotated[str | None, typer.Option(help=say("opt_host"))] = None,
    port: Annotated[int | None, typer.Option(help=say("opt_port"))] = None,
) -> None:
    """Serve the dashboards (quality managers' and analysts' views, SQL console)."""
    settings = settings_for(warehouse=warehouse)
    host = host or settings.dashboard_host
    port = port or settings.dashboard_port
    users = settings.dashboard_users_file.resolve()
    if not is_loopback(host) and not users.is_file():
        raise UserError("err_dashboard_open", host=host, users=users)
    if users.is_file():
        from dashboards.auth import load_users

        load_users(users)  # a mistake in the file is reported here, not on the first visit
    env = {
        **os.environ,
        "COMPLAINTS_WAREHOUSE": str(settings.warehouse.resolve()),
        "COMPLAINTS_DASHBOARD_USERS": str(users),
    }
    if not settings.warehouse.exists():
        typer.echo(say("dashboard_no_warehouse", path=settings.warehouse))
    typer.echo(say("dashboard_on", host=host, port=port, path=settings.warehouse))
    raise typer.Exit(serve_until_stopped(streamlit_command(host, port), env))


# The signals a terminal, a service manager or `kill` use to stop the command.
FORWARDED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def serve_until_stopped(command: list[str], env: dict[str, str]) -> int:
    """Run the server as a child and hand it every stop signal the command receives.

    Without this, stopping ``complaints dashboard`` (SIGTERM from a service manager, SIGHUP when
    the terminal closes) ends only this process and leaves Streamlit holding the port.
    """
    child = subprocess.Popen(command, env=env)
    previous = {sig: signal.getsignal(sig) for sig in FORWARDED_SIGNALS}

    def forward(signum: int, _frame: object) -> None:
        if child.poll() is None:
            child.send_signal(signum)

    for sig in FORWARDED_SIGNALS:
        signal.signal(sig, forward)
    try:
        return _exit_status(child.wait())  # the wait resumes after each forwarded signal
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if child.poll() is None:
            child.kill()
            child.wait()


def _exit_status(returncode: int) -> int:
    """A child ended by a signal reports 128 + the signal number, as a shell would."""
    return 128 - returncode if returncode < 0 else returncode
