"""A warehouse built by the project's own commands: ``complaints generate`` then ``complaints run``
(or ``ingest`` and ``build`` when ``run`` is not usable in this checkout). Used by the app-level
tests (20 000 order lines) and the dashboard benchmark (millions)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIPELINE_MODULES = ("flows.cli_generate", "flows.cli_ingest", "flows.cli_build")


def pipeline_available() -> bool:
    """Whether the generator, ingest and build are part of this checkout."""
    return all(importlib.util.find_spec(module) for module in PIPELINE_MODULES)


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
    if complaints("run", "--landing", str(landing), "--warehouse", str(path)).returncode != 0:
        _check(complaints("ingest", "--landing", str(landing), "--warehouse", str(path)), "ingest")
        _check(complaints("build", "--warehouse", str(path)), "build")
    return path


def _check(done: subprocess.CompletedProcess, step: str) -> None:
    if done.returncode != 0:
        raise RuntimeError(f"complaints {step} failed:\n{done.stdout}\n{done.stderr}")
