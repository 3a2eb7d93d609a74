"""Benchmark of the Spark target: ``complaints build --engine spark`` (local session, 2 cores) on
synthetic raw tables of 1M and 10M order lines, with the DuckDB build of the same tables beside
it, and how each engine's time grows from the smaller size to the larger.

The raw tables are written straight by SQL (``bench_data.sql``, as ``bench_build.py``). For each
size, in child processes one after another: the DuckDB build (``build_warehouse``: dbt build of
models, data tests and unit tests) on one copy, then the Spark build (``build_on_spark``: sources
prepared and exported as Parquet, dbt build of models and data tests on Spark, marts loaded back
into the DuckDB file) on another, with the time of each of its steps. Results go to
``benchmarks/results/spark.json``.

    flock /tmp/bench.lock nice uv run python benchmarks/bench_spark.py [--sizes 1000000 10000000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_build import prepare  # noqa: E402
from benchmarks.child_run import run_child  # noqa: E402

RESULTS = HERE / "results" / "spark.json"

DUCKDB_CHILD = """
import json, sys, time
from pathlib import Path
from flows.build.run import build_warehouse
from flows.config import Settings
started = time.perf_counter()
result = build_warehouse(Path(sys.argv[1]), Settings(), target_path=Path(sys.argv[2]),
                         log_path=Path(sys.argv[2]) / "logs")
print(json.dumps({"seconds": time.perf_counter() - started, "nodes": len(result.nodes)}))
"""

# The build's steps are timed by wrapping the functions build_on_spark calls (export, dbt, load).
SPARK_CHILD = """
import json, sys, time
from pathlib import Path
import flows.spark.build as build
import flows.spark.export as export
from flows.config import Settings
steps = {}
def timed(name, function):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            steps[name] = round(steps.get(name, 0.0) + time.perf_counter() - started, 2)
    return wrapper
export.write_parquet_tree = timed("export_parquet", export.write_parquet_tree)
build.run_dbt_spark = timed("dbt_build_on_spark", build.run_dbt_spark)
build.load_marts = timed("load_marts", build.load_marts)
build.persist_functions = timed("persist_functions", build.persist_functions)
started = time.perf_counter()
result = build.build_on_spark(Path(sys.argv[1]), Settings(), Path(sys.argv[2]))
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "nodes": len(result.nodes), "steps": steps}))
"""


def timed_child(code: str, *args: str) -> dict:
    """One build in a child process: wall seconds, the child's own report, load before/after."""
    run = run_child(code, *args)
    inner = run.report
    return {
        "wall_seconds": run.wall_seconds,
        "build_seconds": round(inner["seconds"], 2),
        "nodes": inner["nodes"],
        **({"steps": inner["steps"]} if "steps" in inner else {}),
        "load_average_1m": [run.load_before, run.load_after],
    }


def bench_size(n_orders: int, scratch: Path) -> dict:
    """The DuckDB and the Spark build of the same synthetic raw tables."""
    source = scratch / f"raw_{n_orders}.duckdb"
    started = time.perf_counter()
    counts = prepare(source, n_orders)
    prepare_seconds = time.perf_counter() - started
    duck, spark = scratch / f"duck_{n_orders}.duckdb", scratch / f"spark_{n_orders}.duckdb"
    shutil.copyfile(source, duck)
    shutil.copyfile(source, spark)
    source.unlink()
    print(f"  duckdb build of {counts['orders']:,} order lines", flush=True)
    duckdb_run = timed_child(DUCKDB_CHILD, str(duck), str(scratch / "duck_target"))
    duck.unlink()
    print(f"  duckdb: {duckdb_run['build_seconds']} s; spark build", flush=True)
    spark_run = timed_child(SPARK_CHILD, str(spark), str(scratch / f"spark_{n_orders}"))
    print(f"  spark: {spark_run['build_seconds']} s", flush=True)
    shutil.rmtree(scratch / f"spark_{n_orders}", ignore_errors=True)
    spark.unlink()
    return {
        "order_lines": counts["orders"],
        "rows": counts,
        "prepare_seconds": round(prepare_seconds, 1),
        "duckdb": duckdb_run,
        "spark": spark_run,
        "spark_over_duckdb": round(spark_run["build_seconds"] / duckdb_run["build_seconds"], 2),
    }


def growth(small: dict, large: dict) -> dict:
    """How each engine's build time grows between two sizes (1 = flat, the size ratio = linear)."""
    return {
        "from_order_lines": small["order_lines"],
        "to_order_lines": large["order_lines"],
        "size_ratio": round(large["order_lines"] / small["order_lines"], 2),
        "duckdb_time_ratio": round(
            large["duckdb"]["build_seconds"] / small["duckdb"]["build_seconds"], 2
        ),
        "spark_time_ratio": round(
            large["spark"]["build_seconds"] / small["spark"]["build_seconds"], 2
        ),
        "spark_dbt_time_ratio": round(
            large["spark"]["steps"]["dbt_build_on_spark"]
            / small["spark"]["steps"]["dbt_build_on_spark"],
            2,
        ),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    sizes: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-spark-") as tmp:
        for n in args.sizes:
            print(f"== {n:,} order lines", flush=True)
            sizes.append(bench_size(n, Path(tmp)))
            print(json.dumps(sizes[-1], indent=2), flush=True)
            write_report(sizes, args.out)  # after each size: a long run stopped keeps its sizes
    return 0


def write_report(sizes: list[dict], out: Path) -> None:
    report = {
        "benchmark": "build on Spark (local[2] session: export, dbt build of models and data "
        "tests, marts loaded) beside the DuckDB build (dbt build of models, data tests and "
        "unit tests) of the same synthetic raw tables; one run of each",
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "spark_cores": 2,
        "sizes": sizes,
    }
    if len(sizes) >= 2:
        report["growth"] = growth(sizes[0], sizes[-1])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written {out}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
