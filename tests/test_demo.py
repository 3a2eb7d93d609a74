"""``make demo PORT=… HOST=…`` reaches the dashboard command (not only through complaints.yml)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _demo_commands(**env: str) -> list[str]:
    """The demo script's commands, with ``uv`` replaced by ``echo`` so nothing runs."""
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "demo_pipeline.sh")],
        env={**os.environ, "UV": "echo", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in done.stdout.splitlines() if "complaints" in line]


def test_port_and_host_reach_the_dashboard_command():
    last = _demo_commands(PORT="8600", HOST="0.0.0.0")[-1]
    assert last.endswith("complaints dashboard --port 8600 --host 0.0.0.0")


def test_without_port_the_configuration_decides():
    assert _demo_commands(PORT="", HOST="")[-1].endswith("complaints dashboard")


def test_make_passes_port_to_the_script():
    done = subprocess.run(
        ["make", "-n", "demo", "PORT=8600", f"LANDING={ROOT}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert 'PORT="8600"' in done.stdout
