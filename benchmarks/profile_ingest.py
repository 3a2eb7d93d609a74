"""Where the ingest's seconds go: wall time per file and per pipeline step, on one folder.

Wraps the pipeline's steps (reading, transcoding, typing, classifying, validating, merging,
quarantining) with timers and runs ``ingest_landing`` once into a fresh warehouse. Files are
prepared in background threads while another is written, so step times overlap: they add up to
more than the wall time, and a step's CPU seconds include whatever ran beside it. With
``--serial`` no two steps run at once (one lock around every step, the content hashes and the
Great Expectations import included): the run is slower, but each step's CPU seconds are its own.
``--statements`` (implies ``--serial``) also times every SQL statement the files' connections
run, summed by statement (literals masked), so a step's seconds can be split into its queries.

    uv run python benchmarks/profile_ingest.py LANDING_DIR [--warehouse FILE] [--serial]
        [--statements [TOP]]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import re
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flows.config import Settings  # noqa: E402
from flows.landing import expectations_run, pipeline  # noqa: E402

STEPS = (
    "read_csv",
    "transcode_to_utf8",
    "build_typed",
    "classify",
    "validate_batch",
    "exclude_failed_expectations",
    "store_validation",
    "keep_quarantined_source",
    "merge_batch",
    "record_quarantine",
    "record_warnings",
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("landing", type=Path)
    parser.add_argument("--warehouse", type=Path, default=Path("/tmp/profile_ingest.duckdb"))
    parser.add_argument("--serial", action="store_true", help="never two steps at once")
    parser.add_argument(
        "--statements",
        type=int,
        nargs="?",
        const=25,
        metavar="TOP",
        help="also time each SQL statement (serial); print the TOP costliest",
    )
    args = parser.parse_args()
    args.serial = args.serial or args.statements is not None
    for stale in args.warehouse.parent.glob(args.warehouse.name + "*"):
        stale.unlink()
    totals: dict[str, float] = defaultdict(float)
    cpu_totals: dict[str, float] = defaultdict(float)  # all threads of the process
    per_file: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    current = threading.local()  # the file each thread is working on
    serial = threading.RLock() if args.serial else contextlib.nullcontext()

    def timed(name, fn):
        @functools.wraps(fn)
        def wrapper(*a, **k):
            with serial:
                return measured(*a, **k)

        def measured(*a, **k):
            started, cpu = time.perf_counter(), time.process_time()
            try:
                return fn(*a, **k)
            finally:
                spent = time.perf_counter() - started
                totals[name] += spent
                cpu_totals[name] += time.process_time() - cpu
                per_file[getattr(current, "file", "")][name] += spent

        return wrapper

    for name in STEPS:
        if hasattr(pipeline, name):
            setattr(pipeline, name, timed(name, getattr(pipeline, name)))
    pipeline.sha256_of = timed("sha256_of", pipeline.sha256_of)
    expectations_run._build_validator = timed(
        "import_great_expectations", expectations_run._build_validator
    )
    prepare, commit = pipeline.prepare_file, pipeline.commit_file

    def prepare_file(con, lf, ctx):
        current.file = lf.name
        started = time.perf_counter()
        try:
            return prepare(con, lf, ctx)
        finally:
            per_file[lf.name]["prepare"] = time.perf_counter() - started

    def commit_file(prepared, ctx, raise_io=False):
        current.file = prepared.lf.name
        started = time.perf_counter()
        try:
            return commit(prepared, ctx, raise_io)
        finally:
            per_file[prepared.lf.name]["commit"] = time.perf_counter() - started

    pipeline.prepare_file, pipeline.commit_file = prepare_file, commit_file
    statements = StatementTimes(serial) if args.statements else None
    if statements:
        connection = pipeline.file_connection
        pipeline.file_connection = lambda con, ctx: statements.wrap(connection(con, ctx))
    os.environ.setdefault("COMPLAINTS_PII_KEY", "profile-key")
    settings = Settings(key_file=args.warehouse.with_suffix(".key"))
    started, cpu = time.perf_counter(), time.process_time()
    pipeline.ingest_landing(args.landing, args.warehouse, settings)
    cpu_total = time.process_time() - cpu
    print(f"total {time.perf_counter() - started:.1f}s, {cpu_total:.1f} CPU-s")
    for name, spent in sorted(per_file.items(), key=lambda kv: -kv[1].get("prepare", 0)):
        steps = ", ".join(f"{k} {v:.1f}" for k, v in sorted(spent.items(), key=lambda kv: -kv[1]))
        print(f"{name}: {steps}")
    print(
        "steps:",
        ", ".join(f"{k} {v:.1f}" for k, v in sorted(totals.items(), key=lambda kv: -kv[1])),
    )
    print(
        "CPU-s per step (every thread, so work overlapping a step counts in it):",
        ", ".join(f"{k} {v:.1f}" for k, v in sorted(cpu_totals.items(), key=lambda kv: -kv[1])),
        f"; outside these steps {cpu_total - sum(cpu_totals.values()):.1f}",
    )
    if statements:
        statements.report(args.statements)


class StatementTimes:
    """Wall and CPU seconds of each SQL statement run on a file's connection, under the serial
    lock, summed per statement text (literals masked, first 100 characters)."""

    def __init__(self, lock) -> None:
        self.lock = lock
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.count: dict[str, int] = defaultdict(int)

    def wrap(self, con):
        times = self

        class Timed:
            def execute(self, sql, *args, **kwargs):
                with times.lock:
                    started, cpu = time.perf_counter(), time.process_time()
                    try:
                        out = con.execute(sql, *args, **kwargs)
                    finally:
                        key = re.sub(r"'[^']*'", "'…'", " ".join(str(sql).split()))[:100]
                        times.wall[key] += time.perf_counter() - started
                        times.cpu[key] += time.process_time() - cpu
                        times.count[key] += 1
                return self if out is con else out

            def __getattr__(self, name):
                return getattr(con, name)

        return Timed()

    def report(self, top: int) -> None:
        print(
            f"SQL statements: {sum(self.cpu.values()):.1f} CPU-s, {sum(self.wall.values()):.1f} s;"
            f" the {top} costliest (CPU-s, s, runs):"
        )
        for key in sorted(self.cpu, key=lambda k: -self.cpu[k])[:top]:
            print(f"{self.cpu[key]:7.2f} {self.wall[key]:7.2f} {self.count[key]:5d}  {key}")


if __name__ == "__main__":
    main()
