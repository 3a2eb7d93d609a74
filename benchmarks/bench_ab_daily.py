"""Before and after for the daily incremental run, in interleaved pairs: the same day added to the
same built warehouse, built by an earlier tree and by this one.

Separate medians of ``bench_incremental.py`` cannot show a change of a second: the same daily run
on the same copy moves by 2-3 s between runs on this machine, CPU seconds with it. Here each
tree builds its own warehouse once (full, on the path its daily runs use: dbt's saved parse names
the database file) and runs ``--warm-days`` daily builds on it (default none; untimed in the
medians, the first reported as ``first_day``); then each pair restores a fresh copy of that built
state, adds the next day (``bench_build.extra_day``) and runs the incremental build in a child
process, alternating which tree goes first. ``--warm-days`` picks which day the pairs time.

    git worktree add /tmp/before <commit>      # the earlier tree (same .venv)
    uv run python benchmarks/bench_ab_daily.py --before /tmp/before [--after TREE]
        [--sizes 20000 10000000] [--pairs 3] [--warm-days 0] [--open-days 30|every]
        [--out benchmarks/results/ab_daily.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
from pathlib import Path

import duckdb
from bench_ab import run_child
from bench_build import OPEN_DAYS_HELP, open_days, prepare

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

BUILD_CHILD = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, "benchmarks")
from bench_build import extra_day
from flows.build.run import build_warehouse
from flows.config import Settings
import duckdb
database, target, full = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "full"
if not full:
    with duckdb.connect(str(database)) as con:
        con.execute(extra_day(int(sys.argv[3])))
        con.execute("checkpoint")
started = time.perf_counter()
result = build_warehouse(database, Settings(), target_path=target, log_path=target,
                         full_refresh=full)
print(json.dumps({"seconds": time.perf_counter() - started, "incremental": result.incremental,
                  "node_seconds": {n.name: n.seconds for n in result.nodes}}))
"""


def build(tree: Path, database: Path, target: Path, day: int | None) -> dict:
    """A full build (``day`` None) or the build after adding day ``day``."""
    run = run_child([sys.executable, "-c", BUILD_CHILD, str(database), str(target),
                "full" if day is None else str(day)], tree)  # fmt: skip
    nodes = run["inner"].pop("node_seconds")
    run["inner"]["seconds"] = round(run["inner"]["seconds"], 2)
    run["build_seconds"] = run["inner"]["seconds"]
    run["slowest_nodes"] = dict(sorted(nodes.items(), key=lambda kv: -kv[1])[:12])
    return run


def median(runs: list[dict], key: str) -> float:
    return round(statistics.median(r[key] for r in runs), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the earlier tree")
    parser.add_argument("--after", type=Path, default=ROOT, help="default: this tree")
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 10_000_000])
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--warm-days", type=int, default=0,
                        help="untimed daily runs after the full build (default 0)")  # fmt: skip
    parser.add_argument("--open-days", type=open_days, default=30, help=OPEN_DAYS_HELP)
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/bench_ab_daily"))
    parser.add_argument("--out", type=Path, default=HERE / "results" / "ab_daily.json")
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    args.scratch.mkdir(parents=True, exist_ok=True)
    report: dict = {
        "benchmark": "daily incremental run (one more day), before/after in interleaved pairs",
        "pairs": args.pairs,
        "warm_days": args.warm_days,
        "open_days": args.open_days,
        "trees": {label: str(tree) for label, tree in trees.items()},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "duckdb": duckdb.__version__},
        "sizes": {},
    }  # fmt: skip
    for size in args.sizes:
        raw = args.scratch / f"raw_{size}_{args.open_days or 'every'}.duckdb"
        if not raw.exists():
            prepare(raw, size, open_days=args.open_days)
        built: dict[str, tuple[Path, Path, Path]] = {}
        setup: dict[str, dict] = {}
        for label, tree in trees.items():
            work = args.scratch / f"{label}_{size}.duckdb"
            kept, target = work.with_suffix(".built"), args.scratch / f"{label}_{size}_target"
            shutil.copyfile(raw, work)
            full = build(tree, work, target, None)
            print(size, label, "full", full["inner"]["seconds"], flush=True)
            setup[label] = {"full": {key: full[key] for key in ("build_seconds", "cpu_seconds")}}
            for day in range(1, args.warm_days + 1):
                warm = build(tree, work, target, day)
                print(size, label, "warm day", day, warm["inner"]["seconds"], flush=True)
                if day == 1:
                    setup[label]["first_day"] = {
                        key: warm[key] for key in ("build_seconds", "cpu_seconds")
                    }
            shutil.copyfile(work, kept)
            built[label] = (work, kept, target)
        runs: dict[str, list[dict]] = {label: [] for label in trees}
        for pair in range(args.pairs):
            for label in list(trees) if pair % 2 == 0 else list(reversed(list(trees))):
                work, kept, target = built[label]
                shutil.copyfile(kept, work)
                run = build(trees[label], work, target, args.warm_days + 1)
                if not run["inner"]["incremental"]:
                    raise SystemExit(f"{label}: the daily build was not incremental")
                runs[label].append(run)
                print(size, label, "day", run["inner"]["seconds"], run["cpu_seconds"], flush=True)
        report["sizes"][str(size)] = {
            label: {
                "build_seconds_median": median(by, "build_seconds"),
                "wall_seconds_median": median(by, "wall_seconds"),
                "cpu_seconds_median": median(by, "cpu_seconds"),
                **setup[label],
                "runs": by,
            }
            for label, by in runs.items()
        }
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if len(args.sizes) >= 2:
        small, large = (str(s) for s in (min(args.sizes), max(args.sizes)))
        report["data_dependent"] = {
            label: {
                key: round(
                    report["sizes"][large][label][key] - report["sizes"][small][label][key], 2
                )
                for key in ("build_seconds_median", "cpu_seconds_median")
            }
            for label in trees
        }
        for label in trees:
            by_size = {size: report["sizes"][size][label] for size in (small, large)}
            full_growth = (
                by_size[large]["full"]["build_seconds"] - by_size[small]["full"]["build_seconds"]
            )
            report["data_dependent"][label]["ratio_to_full_builds"] = round(
                report["data_dependent"][label]["build_seconds_median"] / full_growth, 3
            )
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "sizes"}, indent=2), flush=True)


if __name__ == "__main__":
    main()
