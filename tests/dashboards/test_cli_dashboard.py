"""``complaints dashboard`` is registered and runs ``streamlit run`` on the app."""

from __future__ import annotations

from pathlib import Path

from flows.cli import _register_commands, app
from flows.cli import dashboard as cli_dashboard


def test_dashboard_command_is_registered():
    _register_commands()
    names = {command.name or command.callback.__name__ for command in app.registered_commands}
    assert "dashboard" in names


def test_streamlit_command_serves_the_app():
    command = cli_dashboard.streamlit_command("0.0.0.0", 8600)
    assert command[1:4] == ["-m", "streamlit", "run"]
    assert Path(command[4]).name == "app.py" and Path(command[4]).exists()
    assert command[command.index("--server.address") + 1] == "0.0.0.0"
    assert command[command.index("--server.port") + 1] == "8600"


def test_served_app_has_static_serving_and_no_source_watching():
    command = cli_dashboard.streamlit_command("127.0.0.1", 8501)
    options = dict(zip(command[5::2], command[6::2], strict=False))
    assert options["--server.enableStaticServing"] == "true"
    assert options["--server.fileWatcherType"] == "none"
    assert options["--runner.postScriptGC"] == "false"


def test_stopping_the_command_stops_the_server(tmp_path):
    """SIGTERM or SIGHUP to ``complaints dashboard`` reaches Streamlit: the port is freed."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.dashboards.live_app import free_port, wait_until_listening

    for signum in (signal.SIGTERM, signal.SIGHUP):
        port = free_port()
        env = {**os.environ, "COMPLAINTS_WAREHOUSE": str(tmp_path / "none.duckdb")}
        command = [sys.executable, "-c", "from flows.cli import main; main()", "dashboard"]
        parent = subprocess.Popen(
            [*command, "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_listening(port, timeout=60)
            parent.send_signal(signum)
            parent.wait(20)  # Streamlit stops cleanly (0) on SIGTERM and SIGHUP
            deadline = time.monotonic() + 10
            while _listening(port) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert not _listening(port), f"the server kept port {port} after {signum!r}"
        finally:
            parent.kill()


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0
