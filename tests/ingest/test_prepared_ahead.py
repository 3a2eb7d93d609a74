"""Files are read and validated ahead in background threads, but written in file order."""

from __future__ import annotations

import shutil
import threading
import time

from flows.landing import pipeline
from tests.ingest.samples import COMPLAINT_HEADER, ORDER_HEADER, complaint, order, write_csv


def test_same_content_twice_in_one_run_is_loaded_once(run):
    write_csv(run.landing / "orders_1.csv", ORDER_HEADER, [order(n) for n in range(1, 4)])
    shutil.copy(run.landing / "orders_1.csv", run.landing / "orders_2.csv")
    report = run()
    assert [f.status for f in report.files] == ["loaded", "skipped"]
    assert "orders_1.csv" in (report.files[1].reason or "")
    assert run.rows("select count(*) from raw.orders") == [(3,)]
    assert run.rows("select count(*) from meta.file_ledger") == [(1,)]


def test_a_slow_first_file_is_still_written_first(run, monkeypatch):
    """The later file wins the tie although it was prepared (and waits) before the first."""
    write_csv(run.landing / "orders_1.csv", ORDER_HEADER, [order(1, quantity="1")])
    write_csv(run.landing / "orders_2.csv", ORDER_HEADER, [order(1, quantity="5")])
    older = complaint(1, status="open", updated_at="2026-11-22 09:00:00", remedy="repair")
    newer = complaint(1, status="open", updated_at="2026-11-22 09:00:00", remedy="exchange")
    write_csv(run.landing / "complaints_1.csv", COMPLAINT_HEADER, [older])
    write_csv(run.landing / "complaints_2.csv", COMPLAINT_HEADER, [newer])
    prepare = pipeline.prepare_file
    finished: list[str] = []
    lock = threading.Lock()

    def slow_first(con, lf, ctx):
        if lf.name.endswith("_1.csv"):
            time.sleep(0.5)
        prepared = prepare(con, lf, ctx)
        with lock:
            finished.append(lf.name)
        return prepared

    monkeypatch.setattr(pipeline, "prepare_file", slow_first)
    report = run()
    assert finished.index("orders_2.csv") < finished.index("orders_1.csv")  # really overlapped
    assert [f.file_name for f in report.files] == [
        "complaints_1.csv",
        "complaints_2.csv",
        "orders_1.csv",
        "orders_2.csv",
    ]
    assert run.rows("select quantity from raw.orders") == [(5,)]
    # Equal updated_at: the later-ingested file's state wins.
    assert run.rows("select remedy from raw.complaints") == [("exchange",)]
    load_order = run.rows("select file_name from meta.file_ledger order by load_seq")
    assert [name for (name,) in load_order] == [f.file_name for f in report.files]


def test_an_unreadable_file_between_good_ones_is_rejected_in_place(run):
    write_csv(run.landing / "orders_1.csv", ORDER_HEADER, [order(1)])
    (run.landing / "orders_2.csv").write_bytes(b"")
    write_csv(run.landing / "orders_3.csv", ORDER_HEADER, [order(2)])
    report = run()
    assert [(f.file_name, f.status) for f in report.files] == [
        ("orders_1.csv", "loaded"),
        ("orders_2.csv", "rejected"),
        ("orders_3.csv", "loaded"),
    ]
    assert run.rows("select count(*) from raw.orders") == [(2,)]


def test_the_merge_keeps_rows_in_file_order_for_files_read_meanwhile(run, monkeypatch):
    """``preserve_insertion_order`` is global to the database: a merge that turned it off would
    let the file read beside it number its rows out of file order. Every statement of every
    merge leaves it on."""
    write_csv(run.landing / "orders_1.csv", ORDER_HEADER, [order(n) for n in range(1, 4)])
    write_csv(run.landing / "orders_2.csv", ORDER_HEADER, [order(n) for n in range(3, 7)])
    seen: list[bool] = []

    class Watched:
        def __init__(self, con):
            self.con = con

        def execute(self, *args, **kwargs):
            result = self.con.execute(*args, **kwargs)
            probe = self.con.cursor()
            seen.append(
                probe.execute("select current_setting('preserve_insertion_order')").fetchone()[0]
            )
            probe.close()
            return result

        def __getattr__(self, name):
            return getattr(self.con, name)

    merge = pipeline.merge_batch
    monkeypatch.setattr(pipeline, "merge_batch", lambda con, *a: merge(Watched(con), *a))
    run()
    assert len(seen) > 4 and all(seen)
    assert run.rows("select count(*) from raw.orders") == [(6,)]
