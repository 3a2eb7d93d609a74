"""Benchmark of the metric build: a full ``dbt build`` (models and data tests) on
synthetic raw tables of 1M and 10M order lines, and the (incremental) build after one more day
of exports. Every timed full build is forced full (``--full-refresh``): the warehouse keeps its
last build's state, so a plain second build would be incremental.

Raw tables are written straight by SQL (``bench_data.sql``) so the measurement is the build
alone. Each build runs in a child process so its peak memory (max RSS) is measured on its own.
Results go to ``benchmarks/results/build.json``.

    uv run python benchmarks/bench_build.py [--sizes 1000000 10000000] [--repeats 3]
    uv run python benchmarks/bench_build.py --warehouse FILE [--repeats 3]

With ``--warehouse``, a copy of an ingested warehouse (e.g. of generator exports) is built instead
of the synthetic tables; results go to ``benchmarks/results/build_warehouse.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results" / "build.json"

CHILD = """
import json, sys, time
from pathlib import Path
from flows.build.run import build_warehouse
from flows.config import Settings
started = time.perf_counter()
result = build_warehouse(Path(sys.argv[1]), Settings(), target_path=Path(sys.argv[2]),
                         log_path=Path(sys.argv[2]) / "logs", full_refresh=sys.argv[3] == "full")
print(json.dumps({"seconds": time.perf_counter() - started, "nodes": len(result.nodes),
                  "incremental": result.incremental}))
"""


def extra_day(day: int = 1) -> str:
    """One more day of exports: the last day's order lines and complaints again, a day later and
    under new ids, with the events of those complaints. Day ``day`` of a series gets ids and a
    file id of its own, so days can follow each other without repeating a key."""
    prefix = "X" if day == 1 else f"D{day}-"
    file_id = "bench-day" if day == 1 else f"bench-day-{day}"
    shift = "to_microseconds(86400000000)"
    return f"""
insert into raw.orders
select
    '{prefix}' || order_id, sku_id, merchant_id, quantity, paid_amount,
    ordered_at + {shift}, shipped_at + {shift}, delivered_at + {shift}, buyer_id, province,
    carrier, '{file_id}', _row_number, now()
from raw.orders
where ordered_at >= (select max(ordered_at) from raw.orders) - {shift};
insert into raw.complaints
select
    '{prefix}' || complaint_id, order_id, sku_id, merchant_id, channel,
    received_at + {shift}, issue_type, responsibility, remedy,
    refund_amount, compensation_amount, status, satisfaction, description, evidence_count,
    buyer_phone_hash, buyer_phone_masked, updated_at + {shift},
    '{file_id}', _row_number, now()
from raw.complaints
where received_at >= (select max(received_at) from raw.complaints) - {shift};
insert into raw.complaint_events
select
    '{prefix}' || complaint_id, event_type, occurred_at + {shift}, actor, note,
    '{file_id}', _row_number, now()
from raw.complaint_events
where complaint_id in (
    select substr(complaint_id, {len(prefix) + 1}) from raw.complaints
    where _file_id = '{file_id}'
);
"""


EXTRA_DAY = extra_day(1)


OPEN_DAYS_HELP = (
    "complaints stay open only on order lines of the last N days (default 30, as in real "
    "exports); 'every' keeps them open at every age, the older synthetic data"
)


def open_days(text: str) -> int | None:
    """The ``--open-days`` argument: a number of days, or ``every``."""
    return None if text == "every" else int(text)


def prepare(
    database: Path, n_orders: int, seed: int = 42, open_days: int | None = None
) -> dict[str, int]:
    """Write the synthetic raw and meta tables; return the row counts. ``open_days``: complaints
    stay open only on order lines of the last that many days (default: open at every age)."""
    database.unlink(missing_ok=True)
    with duckdb.connect(str(database)) as con:
        con.execute("create schema raw")
        con.execute(
            "create table bench_params as select ? as n_orders, ? as seed, ?::integer as open_days",
            [n_orders, seed, open_days],
        )
        con.execute((HERE / "bench_data.sql").read_text())
        con.execute("drop table bench_params")
        counts = {
            table: con.execute(f"select count(*) from raw.{table}").fetchone()[0]
            for table in ("orders", "complaints", "complaint_events", "corrective_actions")
        }
        con.execute("checkpoint")
    return counts


def timed_build(database: Path, scratch: Path, full: bool = True) -> dict[str, float]:
    """One build in a child process (full, or as the warehouse's state decides): wall seconds
    and the child's peak RSS."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(database), str(scratch), "full" if full else "auto"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    out, err = child.stdout.read(), child.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed:\n{out}\n{err[-3000:]}")
    inner = json.loads(out.strip().splitlines()[-1])
    return {
        "wall_seconds": round(wall, 2),
        "build_seconds": round(inner["seconds"], 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "nodes": inner["nodes"],
        "incremental": inner["incremental"],
    }


def copy_warehouse(source: Path, database: Path) -> dict[str, int]:
    """A private copy of an ingested warehouse; return its raw row counts."""
    shutil.copyfile(source, database)
    with duckdb.connect(str(database), read_only=True) as con:
        return {
            table: con.execute(f"select count(*) from raw.{table}").fetchone()[0]
            for table in ("orders", "complaints", "complaint_events", "corrective_actions")
        }


def bench_size(n_orders: int, repeats: int, scratch: Path, source: Path | None = None) -> dict:
    database = scratch / f"bench_{n_orders}.duckdb"
    started = time.perf_counter()
    counts = copy_warehouse(source, database) if source else prepare(database, n_orders)
    n_orders = counts["orders"]
    prepare_seconds = time.perf_counter() - started
    runs = [timed_build(database, scratch) for _ in range(repeats)]
    with duckdb.connect(str(database)) as con:
        con.execute(EXTRA_DAY)
        added = con.execute(
            "select count(*) from raw.orders where _file_id = 'bench-day'"
        ).fetchone()
        con.execute("checkpoint")
    rebuild = timed_build(database, scratch, full=False)
    full = statistics.median(run["build_seconds"] for run in runs)
    return {
        "order_lines": n_orders,
        "rows": counts,
        "prepare_seconds": round(prepare_seconds, 1),
        "full_build_runs": runs,
        "full_build_median_seconds": full,
        "peak_rss_mb_max": max(run["peak_rss_mb"] for run in runs),
        "extra_day_order_lines": added[0],
        "rebuild_after_one_day": rebuild,
        "rebuild_ratio": round(rebuild["build_seconds"] / full, 3),
        "database_mb": round(database.stat().st_size / 2**20, 1),
    }


def bench_warehouse(source: Path, repeats: int) -> int:
    """Full builds and a one-day rebuild on a copy of a real (ingested) warehouse."""
    with tempfile.TemporaryDirectory(prefix="bench-build-", dir=source.parent) as tmp:
        result = bench_size(0, repeats, Path(tmp), source.resolve())
    report = {
        "benchmark": "dbt build (models + data tests) on an ingested warehouse",
        "warehouse": str(source),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "threads": 2,
        "load_average_1m_at_end": round(os.getloadavg()[0], 2),
        "size": result,
        "targets": {"full_build_seconds_10m": 20, "peak_gb": 3, "rebuild_ratio": 0.2},
    }
    out = HERE / "results" / "build_warehouse.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--warehouse", type=Path, help="build a copy of this ingested warehouse")
    args = parser.parse_args(argv)
    if args.warehouse:
        return bench_warehouse(args.warehouse, args.repeats)
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        scratch = Path(tmp)
        sizes = []
        for n in args.sizes:
            print(f"== {n:,} order lines", flush=True)
            result = bench_size(n, args.repeats, scratch)
            print(json.dumps(result, indent=2), flush=True)
            sizes.append(result)
    report = {
        "benchmark": "dbt build (models + data tests)",
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "threads": 2,
        "sizes": sizes,
        "targets": {"full_build_seconds_10m": 20, "peak_gb": 3, "rebuild_ratio": 0.2},
    }
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        report["linearity"] = {
            "size_ratio": large["order_lines"] / small["order_lines"],
            "time_ratio": round(
                large["full_build_median_seconds"] / small["full_build_median_seconds"], 2
            ),
        }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
