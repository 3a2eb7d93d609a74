"""Readers in other processes open the warehouse at every moment of a run (the writer closes every
connection, dbt's included, before the publish rename), and the writer lock is keyed on the real
file."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import _register_commands, app
from flows.errors import UserError
from flows.warehouse import publishing, writer_lock

# Opens the warehouse read-only in a loop until the stop file appears; prints every failure.
READER_LOOP = """
import sys, time, duckdb
path, stop = sys.argv[1], sys.argv[2]
import os
opened = errors = 0
while not os.path.exists(stop):
    try:
        con = duckdb.connect(path, read_only=True)
        con.execute("select count(*) from information_schema.tables").fetchone()
        con.close()
        opened += 1
    except Exception as exc:
        errors += 1
        print("ERROR", str(exc).splitlines()[0], flush=True)
    time.sleep(0.02)
print("OPENED", opened, flush=True)
"""


def _start_reader(path: Path, stop: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", READER_LOOP, str(path), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )


def _stop_reader(reader: subprocess.Popen, stop: Path) -> str:
    stop.touch()
    out, _ = reader.communicate(timeout=60)
    return out


def _opens_in_another_process(path: Path) -> str:
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, duckdb; duckdb.connect(sys.argv[1], read_only=True).close()",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return probe.stderr.strip().splitlines()[-1] if probe.returncode else ""


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    _register_commands()
    root = tmp_path_factory.mktemp("readers")
    landing = root / "landing"
    generated = CliRunner().invoke(
        app,
        ["generate", "--out", str(landing), "--orders", "2000", "--truth", str(root / "t.json")],
    )
    assert generated.exit_code == 0, generated.output
    return landing


def test_reader_loop_across_complaints_run_and_the_scheduled_run_sees_no_error(
    landing, tmp_path, monkeypatch, prefect_harness
):
    """``complaints run`` and then the scheduled ``daily-pipeline`` flow, in this (still living)
    process, while another process opens the warehouse read-only every 20 ms."""
    from flows.orchestration.pipeline import daily_pipeline

    monkeypatch.setenv("COMPLAINTS_KEY_FILE", str(tmp_path / "key"))
    warehouse, stop = tmp_path / "warehouse.duckdb", tmp_path / "stop"
    with publishing(warehouse) as staging, duckdb.connect(str(staging)):
        pass  # an empty warehouse, so the reader has a file from the start
    reader = _start_reader(warehouse, stop)
    try:
        ran = CliRunner().invoke(
            app, ["run", "--landing", str(landing), "--warehouse", str(warehouse)]
        )
        assert ran.exit_code == 0, ran.output
        time.sleep(0.5)  # this process is still alive: a lock it kept would show now
        daily_pipeline(landing=str(landing), warehouse=str(warehouse))
        time.sleep(0.5)
    finally:
        out = _stop_reader(reader, stop)
    assert "ERROR" not in out, out
    assert int(out.split("OPENED")[1]) > 10
    assert _opens_in_another_process(warehouse) == ""


def test_writer_lock_is_keyed_on_the_real_file(tmp_path):
    real = tmp_path / "real" / "w.duckdb"
    real.parent.mkdir()
    link = tmp_path / "link.duckdb"
    link.symlink_to(real)
    with writer_lock(real), pytest.raises(UserError, match="already writing"):
        with writer_lock(link):
            pass


def test_publish_through_a_symlink_replaces_the_target(tmp_path):
    real = tmp_path / "real" / "w.duckdb"
    real.parent.mkdir()
    link = tmp_path / "link.duckdb"
    link.symlink_to(real)
    for value in (1, 2):
        with publishing(link) as staging, duckdb.connect(str(staging)) as con:
            con.execute("create or replace table t as select ? as v", [value])
    assert link.is_symlink() and os.readlink(link) == str(real)
    with duckdb.connect(str(real), read_only=True) as con:
        assert con.execute("select v from t").fetchone() == (2,)


# Holds a read-write connection (DuckDB's exclusive file lock) for argv[2] seconds.
LOCK_HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


def _hold_lock(path: Path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(path), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_dashboard_waits_out_a_short_lock_and_never_caches_no_warehouse(
    tmp_path, monkeypatch, small_warehouse
):
    import shutil

    import flows.warehouse
    from dashboards import data

    path = shutil.copyfile(small_warehouse, tmp_path / "warehouse.duckdb")
    source = data.current_source(path)
    # A short lock: the open is retried until it is released.
    holder = _hold_lock(path, 1.0)
    assert data.build_info(source) is not None
    holder.wait(30)
    data.build_info.clear()
    # A lock longer than the retry window: an error this render, not a cached "no warehouse".
    monkeypatch.setattr(flows.warehouse, "LOCKED_RETRY_SECONDS", 0.3)
    holder = _hold_lock(path, 3.0)
    try:
        with pytest.raises(flows.warehouse.WarehouseBusy, match="locked by a writing process"):
            data.build_info(source)
    finally:
        holder.wait(30)
    assert data.build_info(source) is not None
