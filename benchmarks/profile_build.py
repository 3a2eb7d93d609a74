"""Where a full build's seconds go: the steps before dbt, then dbt's own time per node.

Runs ``build_warehouse`` once on a private copy of a warehouse (the original is never changed)
and prints the preparation steps and the slowest models and tests by dbt's execution time
(nodes run two at a time, so their times add up to more than the wall time).

    uv run python benchmarks/profile_build.py WAREHOUSE [--top 30] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flows.build import run  # noqa: E402
from flows.config import Settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--json", type=Path, help="write every node's seconds here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="profile-build-") as scratch:
        database = Path(scratch) / "warehouse.duckdb"
        shutil.copyfile(args.warehouse, database)
        steps: dict[str, float] = {}
        prepare_text = run.prepare_text

        def timed_prepare_text(*a, **k):
            started = time.perf_counter()
            try:
                return prepare_text(*a, **k)
            finally:
                steps["prepare_text"] = time.perf_counter() - started

        run.prepare_text = timed_prepare_text
        started, cpu = time.perf_counter(), time.process_time()
        result = run.build_warehouse(
            database, Settings(), target_path=Path(scratch) / "target", log_path=Path(scratch)
        )
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    nodes = sorted(result.nodes, key=lambda n: -n.seconds)
    by_type: dict[str, float] = {}
    for node in nodes:
        by_type[node.resource_type] = by_type.get(node.resource_type, 0.0) + node.seconds
    print(f"build {wall:.1f} s wall, {cpu:.1f} CPU-s, peak RSS {peak:.0f} MB, {len(nodes)} nodes")
    print("steps before dbt:", ", ".join(f"{k} {v:.2f} s" for k, v in steps.items()))
    print("dbt seconds by kind:", ", ".join(f"{k} {v:.1f}" for k, v in by_type.items()))
    for node in nodes[: args.top]:
        print(f"{node.seconds:7.2f}  {node.resource_type:10} {node.name}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "wall_seconds": wall,
                    "cpu_seconds": cpu,
                    "steps": steps,
                    "nodes": {n.name: n.seconds for n in nodes},
                },
                indent=2,
            )
            + "\n"
        )


if __name__ == "__main__":
    main()
