"""Benchmark ``complaints generate``: wall time, rows per second and peak memory of the child.

Runs the command in a fresh subprocess per measurement (peak RSS from ``/usr/bin/time`` when
present, else ``getrusage(RUSAGE_CHILDREN)``), three times at 1M order lines and once at 10M,
and records medians in ``benchmarks/results/generate.json``.

    uv run python benchmarks/bench_generate.py [--sizes 1000000:3,10000000:1]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
RESULTS = HERE / "results" / "generate.json"
TIME_BIN = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)


def run_once(order_lines: int, folder: Path) -> dict:
    """One run into ``folder``: wall seconds, peak RSS (MB) and the counts from the truth file."""
    truth = folder / "truth.json"
    cmd = [
        str(Path(sys.executable).parent / "complaints"),
        "generate",
        "--out",
        str(folder / "landing"),
        "--truth",
        str(truth),
        "--orders",
        str(order_lines),
        "--force",
    ]
    stats = folder / "time.txt"
    if TIME_BIN:
        cmd = [TIME_BIN, "-f", "%M", "-o", str(stats), *cmd]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=HERE.parent)
    wall = time.perf_counter() - start
    if TIME_BIN:
        peak_kb = int(stats.read_text().strip().splitlines()[-1])
    else:  # max over all children so far: runs go smallest first, so this is this run's peak
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = json.loads(truth.read_text(encoding="utf-8"))
    events = result["files"].get("complaint_events.csv", 0)
    return {
        "wall_s": round(wall, 2),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "order_lines": result["order_lines"],
        "complaints": result["complaints"],
        "events": events,
        "bytes_written": sum(p.stat().st_size for p in (folder / "landing").iterdir()),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000:3,10000000:1", help="N:runs,N:runs")
    args = parser.parse_args(argv)
    sizes = [tuple(int(x) for x in item.split(":")) for item in args.sizes.split(",")]
    report = {
        "command": "complaints generate --orders N (other options default: csv, 52 weeks)",
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "note": "shared machine; other jobs may have been running",
        },
        "targets": {"10M_order_lines_wall_s": 60, "peak_rss_mb": 2048},
        "sizes": [],
    }
    for n, runs in sizes:
        measured = []
        for _ in range(runs):
            with tempfile.TemporaryDirectory(prefix="bench_generate_") as tmp:
                measured.append(run_once(n, Path(tmp)))
            print(f"{n:>12,} lines: {measured[-1]}", flush=True)
        wall = statistics.median(m["wall_s"] for m in measured)
        report["sizes"].append(
            {
                "order_lines_requested": n,
                "runs": measured,
                "median_wall_s": wall,
                "median_rows_per_s": round(measured[0]["order_lines"] / wall),
                "max_peak_rss_mb": max(m["peak_rss_mb"] for m in measured),
            }
        )
    if len(report["sizes"]) >= 2:
        small, large = report["sizes"][0], report["sizes"][-1]
        scale = large["order_lines_requested"] / small["order_lines_requested"]
        report["time_ratio_vs_size_ratio"] = round(
            large["median_wall_s"] / small["median_wall_s"] / scale, 3
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
