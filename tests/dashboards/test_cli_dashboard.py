"""``complaints dashboard`` is registered and runs ``streamlit run`` on the app."""

from __future__ import annotations

from pathlib import Path

from flows import cli_dashboard
from flows.cli import _register_commands, app


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
