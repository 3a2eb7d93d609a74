"""One measured step in a child process of its own, for the benchmarks that time builds: a fresh
interpreter per run (imports and start-up included, as a scheduled run pays them), its wall and
CPU seconds, the machine's load around it, and the JSON the child printed last."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ChildRun:
    report: dict  # the last line the child printed, as JSON
    wall_seconds: float
    cpu_seconds: float  # user + system of the child: steadier than wall time on a shared machine
    load_before: float  # 1-minute load average when the child started
    load_after: float


def run_child(code: str, *args: str, what: str = "build") -> ChildRun:
    """Run ``python -c code args...`` from the project root; stop the benchmark if it fails."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    load_before = os.getloadavg()[0]
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{what} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return ChildRun(
        report=json.loads(done.stdout.strip().splitlines()[-1]),
        wall_seconds=round(wall, 2),
        cpu_seconds=round(cpu, 2),
        load_before=round(load_before, 2),
        load_after=round(os.getloadavg()[0], 2),
    )
