"""Benchmark: a week's scorecards (every merchant's HTML card, every category's workbook, the
index) from a warehouse built by the pipeline on the generator's default sample.

    uv run python benchmarks/bench_scorecards.py [--orders 500000] [--warehouse PATH]

Builds the warehouse first (generate → ingest → build, via the command line) unless one is given,
then times ``read_cards`` + ``write_all`` (median of 3 runs) and records the peak memory into
``benchmarks/results/scorecards.json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flows.config import load_settings  # noqa: E402
from flows.scorecard.produce import read_cards, write_all  # noqa: E402
from flows.scorecard.queries import resolve_week  # noqa: E402


def build_warehouse(work: Path, orders: int) -> tuple[Path, float]:
    env = {**os.environ, "COMPLAINTS_KEY_FILE": str(work / "key")}
    landing, warehouse = work / "landing", work / "warehouse.duckdb"
    started = time.perf_counter()
    for step in (
        [
            "generate",
            "--out",
            str(landing),
            "--orders",
            str(orders),
            "--truth",
            str(work / "truth.json"),
        ],
        ["ingest", "--landing", str(landing), "--warehouse", str(warehouse)],
        ["build", "--warehouse", str(warehouse)],
    ):
        subprocess.run(
            [sys.executable, "-c", "from flows.cli import main; main()", *step],
            check=True,
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
    return warehouse, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=500_000)
    parser.add_argument("--warehouse", type=Path)
    parser.add_argument("--lang", default="zh")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-scorecards-") as scratch:
        work = Path(scratch)
        build_seconds = None
        warehouse = args.warehouse
        if warehouse is None:
            warehouse, build_seconds = build_warehouse(work, args.orders)
        settings = dataclasses.replace(load_settings(), warehouse=warehouse)
        week = resolve_week(warehouse, None, settings)
        timings, n_cards, n_workbooks = [], 0, 0
        for run in range(3):
            started = time.perf_counter()
            cards = read_cards(warehouse, week, settings, args.lang)
            categories, _ = write_all(cards, work / f"out{run}", settings, args.lang)
            timings.append(time.perf_counter() - started)
            n_cards = sum(len(c.cards) for c in categories)
            n_workbooks = len(categories)
        out_bytes = sum(p.stat().st_size for p in (work / "out0").rglob("*") if p.is_file())
    result = {
        "area": "scorecards",
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "orders": args.orders if args.warehouse is None else None,
        "week": week.label,
        "merchant_cards": n_cards,
        "workbooks": n_workbooks,
        "output_bytes": out_bytes,
        "median_seconds": round(statistics.median(timings), 3),
        "runs_seconds": [round(t, 3) for t in timings],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "warehouse_build_seconds": None if build_seconds is None else round(build_seconds, 1),
    }
    target = ROOT / "benchmarks" / "results" / "scorecards.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
