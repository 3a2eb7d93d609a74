"""Before and after in one run: the full ingest and the full build of an earlier tree of the
project against this one, in interleaved pairs, so both see the same machine state.

On a shared machine single wall times move by 2× with the other jobs; pairs run back to back
(alternating which goes first) and CPU seconds (user + system of the child) beside wall time
make the comparison hold where the medians of separate runs would not.

    git archive <commit> | tar -x -C /tmp/before      # the earlier tree (same .venv)
    uv run python benchmarks/bench_ab.py --before /tmp/before --landing DIR [--pairs 3]
        [--after TREE] [--stage ingest build] [--out benchmarks/results/ab.json]

The ingest step runs each tree's ``bench_ingest.py --child`` (``ingest_landing`` in a child
process, no Prefect start-up) into a fresh warehouse; the build step runs each tree's
``build_warehouse`` on a fresh copy of the warehouse that tree ingested (the after tree's when
only the build is compared), so each build reads the raw tables its own ingest writes.
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

BUILD_CHILD = """
import json, sys, time
from pathlib import Path
from flows.build.run import build_warehouse
from flows.config import Settings
started = time.perf_counter()
result = build_warehouse(Path(sys.argv[1]), Settings(), target_path=Path(sys.argv[2]),
                         log_path=Path(sys.argv[2]) / "logs")
print(json.dumps({"seconds": time.perf_counter() - started, "nodes": len(result.nodes),
                  "node_seconds": {n.name: n.seconds for n in result.nodes}}))
"""


def run_child(args: list[str], cwd: Path) -> dict:
    """One child: its JSON line, wall seconds, CPU seconds and peak RSS, load before/after."""
    env = dict(os.environ, PYTHONPATH=str(cwd), COMPLAINTS_PII_KEY="bench-key")
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(child.pid, 0)  # the child's own CPU time and peak RSS
        wall = time.perf_counter() - started
        out.seek(0), err.seek(0)
        stdout, stderr = out.read(), err.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{args[:3]} failed in {cwd}:\n{stdout[-2000:]}\n{stderr[-3000:]}")
    return {
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "load_1m_before": round(load_before, 2),
        "load_1m_after": round(os.getloadavg()[0], 2),
        "inner": json.loads(stdout.strip().splitlines()[-1]),
    }


def ingest(tree: Path, landing: Path, warehouse: Path) -> dict:
    for stale in warehouse.parent.glob(warehouse.name + "*"):
        stale.unlink()
    warehouse.with_suffix(".key").unlink(missing_ok=True)
    script = tree / "benchmarks" / "bench_ingest.py"
    run = run_child([sys.executable, str(script), "--child", str(landing), str(warehouse)], tree)
    run["inner"] = {"seconds": round(run["inner"]["seconds"], 2)}
    return run


def build(tree: Path, source: Path, scratch: Path) -> dict:
    database = scratch / "build.duckdb"
    for stale in scratch.glob("build.duckdb*"):
        stale.unlink()
    shutil.copyfile(source, database)
    if source.with_suffix(".key").exists():
        shutil.copyfile(source.with_suffix(".key"), database.with_suffix(".key"))
    target = scratch / "target"
    shutil.rmtree(target, ignore_errors=True)
    run = run_child([sys.executable, "-c", BUILD_CHILD, str(database), str(target)], tree)
    nodes = run["inner"].pop("node_seconds")
    run["inner"]["seconds"] = round(run["inner"]["seconds"], 2)
    run["slowest_nodes"] = dict(sorted(nodes.items(), key=lambda kv: -kv[1])[:12])
    return run


def summary(runs: list[dict]) -> dict:
    def med(key: str) -> float:
        return round(statistics.median(r[key] for r in runs), 2)

    return {
        "wall_seconds_median": med("wall_seconds"),
        "cpu_seconds_median": med("cpu_seconds"),
        "peak_rss_mb_max": max(r["peak_rss_mb"] for r in runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the earlier tree")
    parser.add_argument("--after", type=Path, default=ROOT, help="default: this tree")
    parser.add_argument("--landing", type=Path, required=True)
    parser.add_argument("--scratch", type=Path, help="default: beside the landing folder")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--warehouse", type=Path, help="build only: both trees build a copy of it")
    parser.add_argument("--stage", nargs="+", default=["ingest", "build"])
    parser.add_argument("--out", type=Path, default=HERE / "results" / "ab.json")
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    scratch = (args.scratch or args.landing.parent / "ab").resolve()
    runs: dict[str, dict[str, list[dict]]] = {s: {"before": [], "after": []} for s in args.stage}
    warehouses = {label: scratch / label / "ingested.duckdb" for label in trees}
    for label in trees:
        warehouses[label].parent.mkdir(parents=True, exist_ok=True)
    for pair in range(args.pairs):
        order = ["before", "after"] if pair % 2 == 0 else ["after", "before"]
        if "ingest" in args.stage:
            for label in order:
                runs["ingest"][label].append(ingest(trees[label], args.landing, warehouses[label]))
                print("ingest", label, json.dumps(runs["ingest"][label][-1]), flush=True)
        if "build" in args.stage:
            for label in order:
                source = args.warehouse or warehouses[label]
                if not source.exists():  # build only: both read the after tree's ingest
                    source = warehouses["after"]
                    if not source.exists():
                        ingest(trees["after"], args.landing, source)
                run = build(trees[label], source, scratch / label)
                runs["build"][label].append(run)
                print("build", label, json.dumps(run)[:600], flush=True)
        write_report(args, runs, warehouses, pair + 1)  # after every pair: a long run can be cut


def write_report(args: argparse.Namespace, runs: dict, warehouses: dict, pairs: int) -> None:
    with duckdb.connect(str(args.warehouse or warehouses["after"]), read_only=True) as con:
        rows = {
            t: con.execute(f"select count(*) from raw.{t}").fetchone()[0]
            for t in ("orders", "complaints", "complaint_events")
        }
    report: dict = {
        "benchmark": "before/after in interleaved pairs: ingest_landing and build_warehouse",
        "landing": str(args.landing),
        "export_mb": round(sum(p.stat().st_size for p in args.landing.iterdir()) / 1e6, 1),
        "raw_rows": rows,
        "pairs": pairs,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "duckdb": duckdb.__version__,
                    "note": "shared machine: see each run's load averages"},
    }  # fmt: skip
    for stage, by_label in runs.items():
        before, after = summary(by_label["before"]), summary(by_label["after"])
        report[stage] = {
            "before": before,
            "after": after,
            "wall_ratio": round(after["wall_seconds_median"] / before["wall_seconds_median"], 3),
            "cpu_ratio": round(after["cpu_seconds_median"] / before["cpu_seconds_median"], 3),
            "runs": by_label,
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    short = {k: ({kk: vv for kk, vv in v.items() if kk != "runs"} if isinstance(v, dict) else v)
             for k, v in report.items()}  # fmt: skip
    print(json.dumps(short, indent=2), flush=True)


if __name__ == "__main__":
    main()
