"""``complaints dashboard`` is registered and runs ``streamlit run`` on the app."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def _start_dashboard(tmp_path, port: int, hangup):
    """``complaints dashboard`` on ``port``, started with SIGHUP at ``hangup`` (SIG_DFL as from a
    terminal, SIG_IGN as under ``nohup``), whatever the test runner's own disposition is."""
    import os
    import signal
    import subprocess
    import sys

    env = {**os.environ, "COMPLAINTS_WAREHOUSE": str(tmp_path / "none.duckdb")}
    command = [sys.executable, "-c", "from flows.cli import main; main()", "dashboard"]
    return subprocess.Popen(
        [*command, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=lambda: signal.signal(signal.SIGHUP, hangup),
    )


def _port_freed(port: int) -> bool:
    import time

    deadline = time.monotonic() + 10
    while _listening(port) and time.monotonic() < deadline:
        time.sleep(0.2)
    return not _listening(port)


def test_stopping_the_command_stops_the_server(tmp_path):
    """SIGTERM or SIGHUP to ``complaints dashboard`` reaches Streamlit: the port is freed."""
    import signal

    from tests.dashboards.live_app import free_port, wait_until_listening

    for signum in (signal.SIGTERM, signal.SIGHUP):
        port = free_port()
        parent = _start_dashboard(tmp_path, port, signal.SIG_DFL)
        try:
            wait_until_listening(port, timeout=60)
            parent.send_signal(signum)
            parent.wait(20)  # Streamlit stops cleanly (0) on SIGTERM and SIGHUP
            assert _port_freed(port), f"the server kept port {port} after {signum!r}"
        finally:
            parent.kill()


def test_under_nohup_a_hang_up_leaves_the_server_running(tmp_path):
    """Started ignoring SIGHUP (``nohup``), the command keeps ignoring it, and so does Streamlit;
    SIGTERM still stops both."""
    import signal
    import subprocess
    import time

    from tests.dashboards.live_app import free_port, wait_until_listening

    port = free_port()
    parent = _start_dashboard(tmp_path, port, signal.SIG_IGN)
    try:
        wait_until_listening(port, timeout=60)
        parent.send_signal(signal.SIGHUP)
        time.sleep(2)
        assert parent.poll() is None and _listening(port)
        parent.send_signal(signal.SIGTERM)
        try:
            parent.wait(20)
        except subprocess.TimeoutExpired:
            pytest.fail("SIGTERM did not stop the command")
        assert _port_freed(port)
    finally:
        parent.kill()


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0
