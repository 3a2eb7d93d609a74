"""Benchmark of incremental builds (docs/incremental.md): F(n), a full ``dbt build`` on n order
lines, against I(n), the build after one more day of exports on a warehouse of n lines that a
previous build left (so incremental). The daily run's data-dependent part should be small:

    (I(10M) - I(20k)) / (F(10M) - F(20k)) <= 0.1

Raw tables are synthetic (``bench_data.sql``, as ``bench_build.py``); each build runs in a child
process. Each I(n) repetition adds one more day (``bench_build.extra_day``) after the previous
build, after ``--warm-days`` untimed daily runs (default none; the first is reported as
``first_day``). Before the timed builds of a
size, one untimed ``dbt parse`` leaves dbt's saved parse in the target folder, as every build
after the first on an installed warehouse finds it (its seconds are reported as
``first_parse_seconds``). Results go to ``benchmarks/results/incremental.json``.

    flock /tmp/bench.lock nice uv run python benchmarks/bench_incremental.py \\
        [--sizes 20000 1000000 10000000] [--repeats 3] [--warm-days 0] [--open-days 30|every]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench_build import OPEN_DAYS_HELP, extra_day, open_days, prepare  # noqa: E402
from child_run import run_child  # noqa: E402

RESULTS = HERE / "results" / "incremental.json"

CHILD = """
import json, sys, time
from pathlib import Path
from flows.build.run import build_warehouse
from flows.config import Settings
started = time.perf_counter()
result = build_warehouse(Path(sys.argv[1]), Settings(), target_path=Path(sys.argv[2]),
                         log_path=Path(sys.argv[2]) / "logs", full_refresh=sys.argv[3] == "full")
slowest = sorted(result.nodes, key=lambda node: -node.seconds)[:8]
print(json.dumps({"seconds": time.perf_counter() - started, "incremental": result.incremental,
                  "slowest": [[node.name, round(node.seconds, 2)] for node in slowest]}))
"""

PARSE_CHILD = """
import json, sys, time
from pathlib import Path
from flows.build.run import run_dbt
from flows.config import Settings
started = time.perf_counter()
outcome = run_dbt(["parse"], Path(sys.argv[1]), Settings(), None, Path(sys.argv[2]),
                  Path(sys.argv[2]) / "logs")
assert outcome.success, outcome.exception
print(json.dumps({"seconds": time.perf_counter() - started}))
"""


def first_parse(database: Path, scratch: Path) -> float:
    """dbt's full parse for this database's profile, saved in the target folder (untimed in F)."""
    return round(
        run_child(PARSE_CHILD, str(database), str(scratch), what="parse").report["seconds"], 2
    )


def timed_build(database: Path, scratch: Path, mode: str) -> dict:
    """One build (``mode`` full or auto) in a child process: seconds, mode and slowest nodes."""
    run = run_child(CHILD, str(database), str(scratch), mode)
    return {
        "wall_seconds": run.wall_seconds,
        "build_seconds": round(run.report["seconds"], 2),
        "incremental": run.report["incremental"],
        "slowest_nodes": run.report["slowest"],
    }


def add_day(database: Path, day: int) -> int:
    """One more day of order lines, complaints and events; returns the order lines added."""
    with duckdb.connect(str(database)) as con:
        before = con.execute("select count(*) from raw.orders").fetchone()[0]
        con.execute(extra_day(day))
        after = con.execute("select count(*) from raw.orders").fetchone()[0]
        con.execute("checkpoint")
    return after - before


def bench_size(
    n_orders: int, repeats: int, scratch: Path, open_days: int | None, warm_days: int
) -> dict:
    database = scratch / f"incremental_{n_orders}.duckdb"
    prepare(database, n_orders, open_days=open_days)
    parse_seconds = first_parse(database, scratch)
    full = [timed_build(database, scratch, "full") for _ in range(repeats)]
    warm, incremental, added = [], [], []
    for day in range(1, warm_days + repeats + 1):
        added.append(add_day(database, day))
        (warm if day <= warm_days else incremental).append(timed_build(database, scratch, "auto"))
    if not all(run["incremental"] for run in warm + incremental):
        raise SystemExit("a build after one more day was not incremental")
    f = statistics.median(run["build_seconds"] for run in full)
    i = statistics.median(run["build_seconds"] for run in incremental)
    database.unlink()
    return {
        "order_lines": n_orders,
        "first_parse_seconds": parse_seconds,
        "full_runs": full,
        "warm_days": warm_days,
        "first_day": warm[0] if warm else None,
        "incremental_runs": incremental,
        "day_order_lines": added,
        "F_median_seconds": f,
        "I_median_seconds": i,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 1_000_000, 10_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--warm-days", type=int, default=0)
    parser.add_argument("--open-days", type=open_days, default=30, help=OPEN_DAYS_HELP)
    args = parser.parse_args(argv)
    sizes = []
    with tempfile.TemporaryDirectory(prefix="bench-incremental-") as tmp:
        for n in args.sizes:
            print(f"== {n:,} order lines", flush=True)
            result = bench_size(n, args.repeats, Path(tmp), args.open_days, args.warm_days)
            print(json.dumps(result, indent=2), flush=True)
            sizes.append(result)
    report = {
        "benchmark": "incremental dbt build (models + data tests) after one more day",
        "dbt_parse": "saved before the timed builds (first_parse_seconds: its cost)",
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "threads": 2,
        "open_days": args.open_days,
        "load_average_1m_at_end": round(os.getloadavg()[0], 2),
        "sizes": sizes,
        "target": {"ratio": 0.1},
    }
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        report["ratio"] = {
            "definition": "(I(large) - I(small)) / (F(large) - F(small))",
            "small": small["order_lines"],
            "large": large["order_lines"],
            "value": round(
                (large["I_median_seconds"] - small["I_median_seconds"])
                / (large["F_median_seconds"] - small["F_median_seconds"]),
                3,
            ),
        }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
