"""A warehouse built by the project's own commands: ``complaints generate`` then ``complaints run``
Used by the app-level
tests (20 000 order lines) and the dashboard benchmark (millions)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def complaints(*args: str) -> subprocess.CompletedProcess:
    """Run one ``complaints`` command in a child process."""
    return subprocess.run(
        [sys.executable, "-c", "from flows.cli import main; main()", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def build_pipeline_warehouse(folder: Path, orders: int = 20_000) -> Path:
    """Generate ``orders`` order lines into ``folder`` and build the warehouse there."""
    landing, path = folder / "landing", folder / "warehouse.duckdb"
    generate = ("generate", "--orders", str(orders), "--out", str(landing))
    _check(complaints(*generate, "--truth", str(folder / "truth.json")), "generate")
    run = complaints("run", "--landing", str(landing), "--warehouse", str(path))
    _check(run, "run")
    # What the terminal showed, for the tests of the command's output.
    (folder / "run.stdout").write_text(run.stdout, encoding="utf-8")
    (folder / "run.stderr").write_text(run.stderr, encoding="utf-8")
    return path


def _check(done: subprocess.CompletedProcess, step: str) -> None:
    if done.returncode != 0:
        raise RuntimeError(f"complaints {step} failed:\n{done.stdout}\n{done.stderr}")
