"""Benchmark of working-time SLA targets: a full ``dbt build`` with every stage x channel target
in working time (the worst case: every complaint's four stages go through the working calendar)
beside the same build with the default calendar-hour targets, on the same synthetic raw tables.

Builds alternate (calendar, working, calendar, ...) so machine load affects both alike; each runs
in a child process. Results go to ``benchmarks/results/working_time.json``.

    uv run python benchmarks/bench_working_time.py [--orders 1000000] [--repeats 3]
    uv run python benchmarks/bench_working_time.py --models-only [--orders 1000000] [--repeats 3]
    uv run python benchmarks/bench_working_time.py --orders 10000000 --database FILE [--warmup 1]

``--database`` keeps the synthetic raw tables in FILE (written once if it does not exist, reused
after), so the minutes of writing 10M order lines can run ahead of the timed builds. ``--warmup``
untimed builds run first, so the first timed build replaces existing tables like every later one.

``--models-only`` builds once, then times only the models working time touches
(``int_working_intervals`` and ``int_complaint_sla_stages_evaluated``, with ``dbt run --select``)
in both modes: on a busy shared machine the full build's noise hides a difference of this size.
Results go to ``benchmarks/results/working_time_models.json``.
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
sys.path.insert(0, str(ROOT))

from benchmarks.bench_build import prepare  # noqa: E402
from benchmarks.child_run import run_child  # noqa: E402

CHILD = """
import json, sys, time
from pathlib import Path
from flows.build.run import build_warehouse
from flows.config import CHANNELS, Settings
targets = None
if sys.argv[3] == "working":
    targets = {
        "acknowledge": dict.fromkeys(CHANNELS, "2 working hours"),
        "merchant_notified": dict.fromkeys(CHANNELS, "1 working days"),
        "merchant_evidence": dict.fromkeys(CHANNELS, "2 working days"),
        "resolution": dict.fromkeys(CHANNELS, "5 working days"),
    }
settings = Settings(sla_targets_hours=targets) if targets else Settings()
started = time.perf_counter()
if len(sys.argv) > 4:  # models only: the SLA models on an already built warehouse
    from flows.build.run import run_dbt
    outcome = run_dbt(["run", "--select", "int_working_intervals",
                       "int_complaint_sla_stages_evaluated"], Path(sys.argv[1]), settings,
                      target_path=Path(sys.argv[2]), log_path=Path(sys.argv[2]) / "logs")
    assert outcome.success, outcome.exception
    nodes = len(outcome.result.results)
else:
    result = build_warehouse(Path(sys.argv[1]), settings, target_path=Path(sys.argv[2]),
                             log_path=Path(sys.argv[2]) / "logs")
    nodes = len(result.nodes)
print(json.dumps({"seconds": time.perf_counter() - started, "nodes": nodes}))
"""


def timed(database: Path, scratch: Path, mode: str, models_only: bool = False) -> dict:
    extra = ["models-only"] if models_only else []
    run = run_child(CHILD, str(database), str(scratch), mode, *extra, what=f"{mode} build")
    return {
        # CPU seconds of the build's process: steadier than wall time on a shared machine
        "cpu_seconds": run.cpu_seconds,
        "model_seconds": model_seconds(scratch),
        "mode": mode,
        "wall_seconds": run.wall_seconds,
        "build_seconds": round(run.report["seconds"], 2),
        "load_average_1m_before": run.load_before,
        "load_average_1m": run.load_after,
    }


# The models that read the working calendar (the rest of the build is the same in both modes).
CALENDAR_MODELS = (
    "int_working_intervals",
    "int_complaint_sla_stages_evaluated",
    "int_lab_tests",
    "sla_compliance_merchant_weekly",
)


def model_seconds(target: Path) -> dict[str, float]:
    """Seconds dbt spent on the calendar models in the last build (its run_results.json)."""
    results = json.loads((target / "run_results.json").read_text())["results"]
    return {
        r["unique_id"].rsplit(".", 1)[-1]: round(r["execution_time"], 2)
        for r in results
        if r["unique_id"].startswith("model.") and r["unique_id"].endswith(CALENDAR_MODELS)
    }


def raw_counts(database: Path) -> dict[str, int]:
    """Row counts of the raw tables a previous ``prepare`` wrote."""
    with duckdb.connect(str(database), read_only=True) as con:
        return {
            table: con.execute(f"select count(*) from raw.{table}").fetchone()[0]
            for table in ("orders", "complaints", "complaint_events", "corrective_actions")
        }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--models-only", action="store_true")
    parser.add_argument("--database", type=Path, help="keep (and reuse) the raw tables here")
    parser.add_argument("--warmup", type=int, default=0, help="untimed builds before the runs")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-working-") as tmp:
        scratch = Path(tmp)
        database = args.database or scratch / "bench.duckdb"
        if args.database and args.database.exists():
            counts = raw_counts(database)
        else:
            counts = prepare(database, args.orders)
        if counts["orders"] != args.orders:
            raise SystemExit(f"{database} holds {counts['orders']} order lines, not {args.orders}")
        for _ in range(args.warmup):
            timed(database, scratch, "calendar")
        if args.models_only:
            timed(database, scratch, "calendar")  # the full build the models read from
        runs = []
        for _ in range(args.repeats):
            for mode in ("calendar", "working"):
                runs.append(timed(database, scratch, mode, args.models_only))
                print(json.dumps(runs[-1]), flush=True)
    medians = {
        mode: statistics.median(r["build_seconds"] for r in runs if r["mode"] == mode)
        for mode in ("calendar", "working")
    }
    cpu_medians = {
        mode: statistics.median(r["cpu_seconds"] for r in runs if r["mode"] == mode)
        for mode in ("calendar", "working")
    }
    report = {
        "benchmark": (
            "dbt run of int_working_intervals + int_complaint_sla_stages_evaluated"
            if args.models_only
            else "full dbt build"
        )
        + ", every SLA target in working time vs calendar hours",
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "rows": counts,
        "runs": runs,
        "median_build_seconds": medians,
        "added_fraction": round(medians["working"] / medians["calendar"] - 1, 3),
        "median_cpu_seconds": cpu_medians,
        "added_fraction_cpu": round(cpu_medians["working"] / cpu_medians["calendar"] - 1, 3),
        "pair_ratios": [
            round(working["build_seconds"] / calendar["build_seconds"], 3)
            for calendar, working in zip(runs[::2], runs[1::2], strict=True)
        ],
        "target_added_fraction": 0.2,
    }
    out = (
        HERE / "results" / ("working_time_models.json" if args.models_only else "working_time.json")
    )
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
