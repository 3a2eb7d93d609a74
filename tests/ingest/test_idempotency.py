"""Re-running changes nothing; duplicate deliveries are no-ops; upserts follow the contract."""

from __future__ import annotations

import shutil

import duckdb

from tests.ingest.samples import (
    COMPLAINT_HEADER,
    EVENT_HEADER,
    ORDER_HEADER,
    complaint,
    event,
    order,
    write_csv,
)

TABLES = [
    "raw.orders",
    "raw.complaints",
    "raw.complaint_events",
    "meta.file_ledger",
    "meta.quarantine",
    "meta.dq_warnings",
    "meta.expectation_results",
]


def _snapshot(database):
    with duckdb.connect(str(database), read_only=True) as con:
        return {t: sorted(map(repr, con.execute(f"select * from {t}").fetchall())) for t in TABLES}


def _landing(run):
    write_csv(run.landing / "orders_1.csv", ORDER_HEADER, [order(n) for n in range(1, 6)])
    write_csv(
        run.landing / "complaints_1.csv",
        COMPLAINT_HEADER,
        [complaint(1), complaint(2, channel="bad")],
    )
    write_csv(run.landing / "complaint_events_1.csv", EVENT_HEADER, [event(1), event(2)])


def test_rerun_on_the_same_folder_changes_nothing(run):
    _landing(run)
    first = run()
    assert all(f.status == "loaded" for f in first.files)
    before = _snapshot(run.database)
    second = run()
    assert [f.status for f in second.files] == ["skipped"] * 3
    assert _snapshot(run.database) == before


def test_same_content_under_another_name_is_a_no_op(run):
    _landing(run)
    run()
    before = _snapshot(run.database)["raw.orders"]
    shutil.copy(run.landing / "orders_1.csv", run.landing / "orders_copy.csv")
    result = run.file(run(), "orders_copy.csv")
    assert result.status == "skipped"
    assert "orders_1.csv" in (result.reason or "")
    assert _snapshot(run.database)["raw.orders"] == before
    assert run.rows(
        "select duplicate_deliveries from meta.file_ledger where file_name = 'orders_1.csv'"
    ) == [(["orders_copy.csv"],)]


def test_overlapping_exports_count_repeats_as_duplicates(run):
    write_csv(run.landing / "orders_1.csv", ORDER_HEADER, [order(1), order(2)])
    write_csv(run.landing / "orders_2.csv", ORDER_HEADER, [order(2), order(3, quantity="9")])
    report = run()
    second = run.file(report, "orders_2.csv")
    assert (second.rows_loaded, second.rows_duplicate) == (1, 1)
    assert run.rows("select count(*) from raw.orders") == [(3,)]


def test_later_orders_file_replaces_the_line(run):
    write_csv(run.landing / "orders_1.csv", ORDER_HEADER, [order(1, quantity="1")])
    write_csv(run.landing / "orders_2.csv", ORDER_HEADER, [order(1, quantity="5")])
    run()
    assert run.rows("select quantity from raw.orders") == [(5,)]


def test_later_files_with_only_new_keys_are_appended(run):
    write_csv(run.landing / "orders_1.csv", ORDER_HEADER, [order(1), order(2)])
    write_csv(run.landing / "orders_2.csv", ORDER_HEADER, [order(3), order(4, quantity="7")])
    write_csv(run.landing / "complaint_events_1.csv", EVENT_HEADER, [event(1)])
    write_csv(
        run.landing / "complaint_events_2.csv",
        EVENT_HEADER,
        [event(2), event(3, occurred_at="2026-11-21 09:00:00")],
    )
    report = run()
    second = run.file(report, "orders_2.csv")
    assert (second.rows_loaded, second.rows_duplicate) == (2, 0)
    assert run.rows("select order_id, quantity from raw.orders order by 1") == [
        (order(n)["order_id"], 7 if n == 4 else int(order(n)["quantity"])) for n in range(1, 5)
    ]
    events = run.file(report, "complaint_events_2.csv")
    assert (events.rows_loaded, events.rows_duplicate) == (2, 0)
    assert run.rows("select count(*) from raw.complaint_events") == [(3,)]
    files = run.rows("select count(distinct _file_id) from raw.orders")
    assert files == [(2,)]


def _complaint_files(run, older_name: str, newer_name: str) -> None:
    newer = complaint(1, status="closed", updated_at="2026-11-22 09:00:00", remedy="exchange")
    older = complaint(1, status="open", updated_at="2026-11-20 12:00:00")
    write_csv(run.landing / older_name, COMPLAINT_HEADER, [older])
    write_csv(run.landing / newer_name, COMPLAINT_HEADER, [newer])


def test_complaint_upsert_keeps_the_latest_state(run):
    _complaint_files(run, older_name="complaints_1.csv", newer_name="complaints_2.csv")
    run()
    assert run.rows("select status, remedy from raw.complaints") == [("closed", "exchange")]


def test_complaint_upsert_when_the_older_file_is_loaded_second(run):
    _complaint_files(run, older_name="complaints_2.csv", newer_name="complaints_1.csv")
    report = run()
    assert run.rows("select status, remedy from raw.complaints") == [("closed", "exchange")]
    assert run.file(report, "complaints_2.csv").rows_superseded == 1


def test_complaint_upsert_across_runs_in_either_order(run):
    newer = complaint(1, status="resolved", updated_at="2026-11-23 09:00:00")
    write_csv(run.landing / "complaints_a.csv", COMPLAINT_HEADER, [newer])
    run()
    write_csv(run.landing / "complaints_b.csv", COMPLAINT_HEADER, [complaint(1)])
    run()
    assert run.rows("select status from raw.complaints") == [("resolved",)]


def test_events_are_deduplicated_on_their_identity(run):
    same_instant = event(1, occurred_at="2026-11-20T02:00:00Z")
    write_csv(run.landing / "complaint_events_1.csv", EVENT_HEADER, [event(1), event(2)])
    write_csv(run.landing / "complaint_events_2.csv", EVENT_HEADER, [same_instant, event(3)])
    report = run()
    assert run.file(report, "complaint_events_2.csv").rows_duplicate == 1
    assert run.rows("select count(*) from raw.complaint_events") == [(3,)]


def test_a_rejected_file_is_reported_once_then_skipped_with_a_warning(run):
    (run.landing / "orders_empty.csv").write_bytes(b"")
    first = run()
    assert [f.status for f in first.files] == ["rejected"] and first.rejected
    before = _snapshot(run.database)
    again = run()
    (skipped,) = again.files
    assert (skipped.status, skipped.reason, skipped.rejected_earlier) == (
        "skipped",
        "rejected earlier, skipped until its content changes: empty file",
        True,
    )
    assert not again.rejected and again.rejected_earlier == [skipped]
    assert _snapshot(run.database) == before
    # New content under the same name is a new file: judged again.
    (run.landing / "orders_empty.csv").write_text("order_id\n", encoding="utf-8")
    assert [f.status for f in run().rejected] == ["rejected"]
