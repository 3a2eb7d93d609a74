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

With ``--interleaved`` the sizes take turns instead of running one after the other: each full
build of one size is followed by one of the next (the order alternating), and so is each day, so
a slow minute of the machine falls on both sides of a difference. The report then adds the paired
estimate: the median over days of I(large) - I(small) on the same day, over the median of the
full builds' paired differences, with the smallest and largest daily difference.

    flock /tmp/bench.lock nice uv run python benchmarks/bench_incremental.py \\
        [--sizes 20000 1000000 10000000] [--repeats 3] [--warm-days 0] [--open-days 30|every] \\
        [--interleaved]
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
    database.unlink()
    return size_report(n_orders, parse_seconds, full, warm, incremental, added, warm_days)


def size_report(n_orders, parse_seconds, full, warm, incremental, added, warm_days) -> dict:
    """One size's runs and medians (the same fields in both modes)."""
    if not all(run["incremental"] for run in warm + incremental):
        raise SystemExit("a build after one more day was not incremental")
    return {
        "order_lines": n_orders,
        "first_parse_seconds": parse_seconds,
        "full_runs": full,
        "warm_days": warm_days,
        "first_day": warm[0] if warm else None,
        "incremental_runs": incremental,
        "day_order_lines": added,
        "F_median_seconds": statistics.median(run["build_seconds"] for run in full),
        "I_median_seconds": statistics.median(run["build_seconds"] for run in incremental),
    }


def bench_interleaved(
    sizes: list[int], repeats: int, scratch: Path, open_days: int | None, warm_days: int
) -> list[dict]:
    """Every size's F and I runs, the sizes taking turns (order alternating each round)."""
    databases = {n: scratch / f"incremental_{n}.duckdb" for n in sizes}
    parse_seconds = {}
    for n, database in databases.items():
        prepare(database, n, open_days=open_days)
        parse_seconds[n] = first_parse(database, scratch / str(n))
    runs = {n: {"full": [], "warm": [], "incremental": [], "added": []} for n in sizes}

    def in_turn(round_number: int) -> list[int]:
        return sizes if round_number % 2 == 0 else list(reversed(sizes))

    for r in range(repeats):
        for n in in_turn(r):
            runs[n]["full"].append(timed_build(databases[n], scratch / str(n), "full"))
            print(n, "full", runs[n]["full"][-1]["build_seconds"], flush=True)
    for day in range(1, warm_days + repeats + 1):
        for n in in_turn(day):
            runs[n]["added"].append(add_day(databases[n], day))
            kind = "warm" if day <= warm_days else "incremental"
            runs[n][kind].append(timed_build(databases[n], scratch / str(n), "auto"))
            print(n, kind, "day", day, runs[n][kind][-1]["build_seconds"], flush=True)
    for database in databases.values():
        database.unlink()
    return [
        size_report(
            n,
            parse_seconds[n],
            runs[n]["full"],
            runs[n]["warm"],
            runs[n]["incremental"],
            runs[n]["added"],
            warm_days,
        )
        for n in sizes
    ]


def paired_ratio(small: dict, large: dict) -> dict:
    """The ratio from same-round differences: median daily difference over median full one."""
    days = [
        b["build_seconds"] - a["build_seconds"]
        for a, b in zip(small["incremental_runs"], large["incremental_runs"], strict=True)
    ]
    fulls = [
        b["build_seconds"] - a["build_seconds"]
        for a, b in zip(small["full_runs"], large["full_runs"], strict=True)
    ]
    full = statistics.median(fulls)
    return {
        "definition": "median over days of (I(large) - I(small)) / median of (F(large) - F(small))",
        "daily_differences": [round(d, 2) for d in days],
        "full_differences": [round(f, 2) for f in fulls],
        "value": round(statistics.median(days) / full, 3),
        "smallest_day": round(min(days) / full, 3),
        "largest_day": round(max(days) / full, 3),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 1_000_000, 10_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--warm-days", type=int, default=0)
    parser.add_argument("--open-days", type=open_days, default=30, help=OPEN_DAYS_HELP)
    parser.add_argument("--interleaved", action="store_true", help="sizes take turns")
    args = parser.parse_args(argv)
    sizes = []
    with tempfile.TemporaryDirectory(prefix="bench-incremental-") as tmp:
        if args.interleaved:
            sizes = bench_interleaved(
                args.sizes, args.repeats, Path(tmp), args.open_days, args.warm_days
            )
            print(json.dumps(sizes, indent=2), flush=True)
        for n in [] if args.interleaved else args.sizes:
            print(f"== {n:,} order lines", flush=True)
            result = bench_size(n, args.repeats, Path(tmp), args.open_days, args.warm_days)
            print(json.dumps(result, indent=2), flush=True)
            sizes.append(result)
    report = {
        "benchmark": "incremental dbt build (models + data tests) after one more day",
        "dbt_parse": "saved before the timed builds (first_parse_seconds: its cost)",
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "threads": 2,
        "interleaved": args.interleaved,
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
        if args.interleaved:
            report["ratio"]["paired"] = paired_ratio(small, large)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
