"""Benchmark of a scheduled run's fixed cost under ``complaints serve``: consecutive
``daily-pipeline`` runs with no new data, with each run in a new process (``--fresh-process``,
Prefect's runner: imports, dbt start-up and parse every run) and in the serving process with
dbt kept loaded (the default).

The generator's sample is ingested and built once (``complaints run``); then, per mode, a
``complaints serve`` child is started against one local Prefect server and the runs are created
one after another, each waited for. Per run: wall seconds from its creation to its end, from
Pending (the server handed it over) to its end, from Pending to Running (process start and
imports before the flow body), Running to the end, and the CPU seconds of the serving process
with its children. Run 1 of each mode pays the one-off start-up; the medians are of runs 2..N.
Results go to ``benchmarks/results/serve.json``.

    flock /tmp/bench.lock nice uv run python benchmarks/bench_serve.py [--orders 20000] [--runs 4]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results" / "serve.json"
DEPLOYMENT = "daily-pipeline/daily-pipeline"
MODES = {"fresh-process": ["--fresh-process"], "kept": []}


def complaints(*args: str, env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from flows.cli import main; main()", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"complaints {args[0]} failed:\n{done.stdout}\n{done.stderr[-3000:]}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) of ``pid``, of the children it has reaped, and of its
    descendants still running or not yet reaped (a run's process under ``--fresh-process``)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            parents[int(entry.name)] = int(fields[1])
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, of in parents.items():
            if of == parent and child not in tree:
                tree.add(child)
                frontier.append(child)
    ticks = 0
    for member in tree:
        fields = _stat(member)
        if fields is not None:
            ticks += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


class Serving:
    """A ``complaints serve`` child, ready once it printed that it serves."""

    def __init__(self, flags: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from flows.cli import main; main()", "serve", *flags],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        if not self.ready.wait(300):
            self.stop()
            raise SystemExit(f"serve did not start; see {log}")

    def _read(self) -> None:
        for line in self.process.stdout:
            self.log.write(line)
            self.log.flush()
            if line.startswith("Serving"):
                self.ready.set()

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def one_run(client, deployment_id, pid: int) -> dict:
    """Create a run due now, wait for its end; its timings from the server's state history."""
    cpu_before = tree_cpu_seconds(pid)
    started = time.perf_counter()
    run = client.create_flow_run_from_deployment(deployment_id)
    while True:
        state = client.read_flow_run(run.id).state
        if state is not None and state.is_final():
            break
        time.sleep(0.2)
    wall = time.perf_counter() - started
    time.sleep(0.5)  # the child's exit reaches the parent's CPU account
    cpu = tree_cpu_seconds(pid) - cpu_before
    if not state.is_completed():
        raise SystemExit(f"run {run.id} ended {state.type.value}: {state.message}")
    stamps = {s.type.value: s.timestamp for s in client.read_flow_run_states(run.id)}
    pending, running, done = stamps["PENDING"], stamps["RUNNING"], stamps["COMPLETED"]
    return {
        "wall_seconds": round(wall, 2),
        "pending_to_end_seconds": round((done - pending).total_seconds(), 2),
        "pending_to_running_seconds": round((running - pending).total_seconds(), 2),
        "running_to_end_seconds": round((done - running).total_seconds(), 2),
        "serve_cpu_seconds": round(cpu, 2),
    }


def registered(client, timeout: float = 300.0):
    """The deployment's id once the serving child has registered it (Prefect's ``serve`` does
    so after the command printed that it serves)."""
    from prefect.exceptions import ObjectNotFound

    deadline = time.monotonic() + timeout
    while True:
        try:
            return client.read_deployment_by_name(DEPLOYMENT).id
        except ObjectNotFound:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def bench_mode(mode: str, runs: int, env: dict[str, str], root: Path) -> dict:
    from prefect.client.orchestration import get_client

    serving = Serving(MODES[mode], env, root / f"serve-{mode}.log")
    try:
        with get_client(sync_client=True) as client:
            deployment_id = registered(client)
            measured = []
            for index in range(runs):
                result = one_run(client, deployment_id, serving.process.pid)
                print(f"  {mode} run {index + 1}: {json.dumps(result)}", flush=True)
                measured.append(result)
    finally:
        serving.stop()
    later = measured[1:]
    medians = {key: round(statistics.median(run[key] for run in later), 2) for key in later[0]}
    return {"runs": measured, "median_of_runs_2_on": medians}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument(
        "--runs", type=int, default=4, help="runs per mode (the first is not in the medians)"
    )
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=list(MODES))
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from flows.orchestration.prefect_server import local_server

    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        root = Path(tmp)
        config = root / "complaints.yml"
        config.write_text(
            f"landing: {root / 'landing'}\nwarehouse: {root / 'warehouse.duckdb'}\n"
            f"reports: {root / 'reports'}\n",
            encoding="utf-8",
        )
        env = dict(
            os.environ,
            PYTHONPATH=str(ROOT),
            COMPLAINTS_CONFIG=str(config),
            COMPLAINTS_KEY_FILE=str(root / "pii.key"),
            COMPLAINTS_LANG="en",
            PREFECT_RUNNER_POLL_FREQUENCY="1",
            PREFECT_LOGGING_LEVEL="WARNING",
        )
        print(f"== generating {args.orders:,} order lines and the first build", flush=True)
        complaints(
            "generate", "--orders", str(args.orders), "--out", str(root / "landing"), env=env
        )
        complaints("run", env=env)
        os.environ.pop("PREFECT_API_URL", None)
        with local_server("127.0.0.1", free_port(), root / "prefect-server.log") as api_url:
            env["PREFECT_API_URL"] = api_url
            results = {}
            for mode in args.modes:
                print(f"== {mode}", flush=True)
                results[mode] = bench_mode(mode, args.runs, env, root)
    report = {
        "benchmark": "consecutive daily-pipeline runs under complaints serve, no new data",
        "order_lines": args.orders,
        "runs_per_mode": args.runs,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "load_average_1m_at_end": round(os.getloadavg()[0], 2),
        "modes": results,
    }
    if {"fresh-process", "kept"} <= results.keys():
        before = results["fresh-process"]["median_of_runs_2_on"]
        after = results["kept"]["median_of_runs_2_on"]
        report["saved_per_run"] = {key: round(before[key] - after[key], 2) for key in before}
        report["ratio_kept_to_fresh"] = {
            key: round(after[key] / before[key], 3) for key in before if before[key]
        }
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
