"""Each fault class lands where the contract says, with its reason, and the counts reconcile."""

from __future__ import annotations

import gzip

from tests.ingest.samples import (
    COMPLAINT_HEADER,
    ORDER_HEADER,
    complaint,
    csv_text,
    order,
    write_csv,
    write_xlsx,
)


def _quarantine(run, name):
    return run.rows(
        "select row_number, field, reason from meta.quarantine where file_name = ? "
        "order by row_number, field",
        [name],
    )


def _reconciles(result) -> None:
    assert result.rows_read == result.rows_loaded + result.rows_quarantined + result.rows_duplicate


def test_row_faults_are_quarantined_with_reasons(run):
    rows = [
        order(1),
        order(2, ordered_at="2026-13-45 10:00:00"),  # bad required timestamp
        order(3, quantity="-2"),  # negative quantity
        order(4, merchant_id=""),  # missing required field
        order(5, quantity="1.5"),  # not an integer
        order(6),
    ]
    write_csv(run.landing / "orders_a.csv", ORDER_HEADER, rows)
    write_csv(
        run.landing / "complaints_a.csv",
        COMPLAINT_HEADER,
        [complaint(1), complaint(2, channel="carrier pigeon"), complaint(3, status="已解决")],
    )
    report = run()
    orders = run.file(report, "orders_a.csv")
    assert (orders.rows_read, orders.rows_loaded, orders.rows_quarantined) == (6, 2, 4)
    assert _quarantine(run, "orders_a.csv") == [
        (2, "ordered_at", "unparseable timestamp"),
        (3, "quantity", "quantity must be an integer ≥ 1"),
        (4, "merchant_id", "required field missing"),
        (5, "quantity", "quantity must be an integer ≥ 1"),
    ]
    raw = run.rows(
        "select raw_values ->> 'order_id', raw_values ->> 'quantity' from meta.quarantine "
        "where file_name = 'orders_a.csv' and row_number = 3"
    )
    assert raw == [("O00003", "-2")]
    complaints = run.file(report, "complaints_a.csv")
    assert (complaints.rows_loaded, complaints.rows_quarantined) == (2, 1)
    assert _quarantine(run, "complaints_a.csv") == [(2, "channel", "unknown channel value")]
    assert run.rows("select status from raw.complaints where complaint_id = 'C00003'") == [
        ("resolved",)
    ]
    for f in report.files:
        _reconciles(f)


def test_optional_faults_load_with_null_and_warning(run):
    rows = [
        order(1, shipped_at="2026-10-01 10:00:00"),  # before ordered_at
        order(2, paid_amount="-5"),
        order(3, delivered_at="yesterday"),
    ]
    write_csv(run.landing / "orders_b.csv", ORDER_HEADER, rows)
    write_csv(run.landing / "complaints_b.csv", COMPLAINT_HEADER, [complaint(1, satisfaction="7")])
    report = run()
    assert all(f.rows_loaded == f.rows_read for f in report.files)
    assert run.rows("select order_id from raw.orders where shipped_at is null") == [("O00001",)]
    assert run.rows("select paid_amount from raw.orders where order_id = 'O00002'") == [(None,)]
    assert run.rows("select satisfaction from raw.complaints") == [(None,)]
    warnings = run.rows(
        "select file_name, row_number, field, raw_value from meta.dq_warnings order by all"
    )
    assert warnings == [
        ("complaints_b.csv", 1, "satisfaction", "7"),
        ("orders_b.csv", 1, "shipped_at", "2026-10-01 10:00:00"),
        ("orders_b.csv", 2, "paid_amount", "-5"),
        ("orders_b.csv", 3, "delivered_at", "yesterday"),
    ]


def test_conflicting_duplicates_in_one_file_are_all_quarantined(run):
    rows = [order(1), order(2), order(1, quantity="3"), order(2)]
    write_csv(run.landing / "orders_c.csv", ORDER_HEADER, rows)
    result = run.file(run(), "orders_c.csv")
    assert (result.rows_loaded, result.rows_quarantined, result.rows_duplicate) == (1, 2, 1)
    assert [r[0] for r in _quarantine(run, "orders_c.csv")] == [1, 3]
    assert run.rows("select order_id from raw.orders") == [("O00002",)]


def test_exact_repeat_written_differently_is_a_duplicate(run):
    rows = [order(1), order(1, ordered_at=order(1)["ordered_at"].replace(" ", "T") + "+08:00")]
    write_csv(run.landing / "orders_d.csv", ORDER_HEADER, rows)
    result = run.file(run(), "orders_d.csv")
    assert (result.rows_loaded, result.rows_quarantined, result.rows_duplicate) == (1, 0, 1)


def test_wrong_column_count_quarantines_the_row_not_the_file(run):
    text = csv_text(ORDER_HEADER, [order(1), order(2), order(3)])
    lines = text.splitlines()
    lines[2] = lines[2] + ",surplus"  # record 2: one field too many
    lines[3] = ",".join(lines[3].split(",")[:5])  # record 3: too few
    (run.landing / "orders_e.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run.file(run(), "orders_e.csv")
    assert result.status == "loaded"
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 1, 2)
    assert [r[0] for r in _quarantine(run, "orders_e.csv")] == [2, 3]
    assert run.rows("select _row_number from raw.orders") == [(1,)]


def test_row_numbers_count_multiline_records_once(run):
    rows = [complaint(1, description="第一行\n第二行"), complaint(2), complaint(3, channel="?")]
    text = csv_text(COMPLAINT_HEADER, rows)
    lines = text.split("\n")
    # Break record 2 (physical line 4) by dropping its last field.
    lines[3] = lines[3].rsplit(",", 1)[0]
    (run.landing / "complaints_f.csv").write_text("\n".join(lines), encoding="utf-8")
    run()
    assert [r[0] for r in _quarantine(run, "complaints_f.csv")] == [2, 3]
    assert run.rows("select complaint_id, _row_number from raw.complaints") == [("C00001", 1)]


def test_unreadable_files_are_rejected_and_the_run_goes_on(run):
    write_csv(run.landing / "orders_ok.csv", ORDER_HEADER, [order(1)])
    (run.landing / "orders_empty.csv").write_bytes(b"")
    full = gzip.compress(csv_text(ORDER_HEADER, [order(n) for n in range(200)]).encode())
    (run.landing / "orders_cut.csv.gz").write_bytes(full[: len(full) // 2])
    write_csv(run.landing / "refunds_2026.csv", ORDER_HEADER, [order(5)])
    no_qty = [h for h in ORDER_HEADER if h != "quantity"]
    write_csv(run.landing / "orders_noqty.csv", no_qty, [order(2)])
    (run.landing / "sub").mkdir()
    write_csv(run.landing / "sub" / "orders_hidden.csv", ORDER_HEADER, [order(9)])
    report = run()
    status = {f.file_name: (f.status, f.reason) for f in report.files}
    assert set(status) == {
        "orders_ok.csv",
        "orders_empty.csv",
        "orders_cut.csv.gz",
        "refunds_2026.csv",
        "orders_noqty.csv",
    }
    assert status["orders_ok.csv"] == ("loaded", None)
    assert status["orders_empty.csv"] == ("rejected", "empty file")
    assert status["orders_cut.csv.gz"][0] == "rejected"
    assert "gzip" in status["orders_cut.csv.gz"][1]
    assert status["refunds_2026.csv"][0] == "rejected"
    assert "prefix" in status["refunds_2026.csv"][1]
    assert status["orders_noqty.csv"][0] == "rejected"
    assert status["orders_noqty.csv"][1].startswith("missing required column(s): quantity (")
    ledger = run.rows("select file_name, status from meta.file_ledger order by file_name")
    assert len(ledger) == 5
    assert run.rows("select order_id from raw.orders") == [("O00001",)]


def test_header_only_file_loads_zero_rows(run):
    write_csv(run.landing / "orders_h.csv", ORDER_HEADER, [])
    result = run.file(run(), "orders_h.csv")
    assert (result.status, result.rows_read, result.rows_loaded) == ("loaded", 0, 0)


def test_xlsx_with_title_row_above_the_header(run):
    import datetime as dt

    rows = [order(1), order(2)]
    rows[0]["ordered_at"] = dt.datetime(2026, 11, 3, 10, 0)
    rows[0]["quantity"] = 2
    write_xlsx(run.landing / "orders_x.xlsx", ORDER_HEADER, rows, title="订单导出 2026-11")
    result = run.file(run(), "orders_x.xlsx")
    assert (result.status, result.rows_loaded) == ("loaded", 2)
    assert run.rows(
        "select quantity, strftime(ordered_at, '%Y-%m-%d %H:%M') from raw.orders "
        "where order_id = 'O00001'"
    ) == [(2, "2026-11-03 02:00")]


def test_unmapped_columns_are_recorded(run):
    header = [*ORDER_HEADER, "coupon_code"]
    write_csv(run.landing / "orders_u.csv", header, [order(1, coupon_code="X")])
    run()
    assert run.rows("select extra_columns from meta.file_ledger") == [(["coupon_code"],)]


def test_record_numbers_skip_every_rejected_record(run):
    rows = [order(n) for n in range(1, 9)]
    lines = csv_text(ORDER_HEADER, rows).splitlines()
    for record in (2, 3, 6):  # physical line = record + 1 (header first)
        lines[record] = lines[record] + ",x,y"
    (run.landing / "orders_gaps.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    run()
    assert [r[0] for r in _quarantine(run, "orders_gaps.csv")] == [2, 3, 6]
    assert run.rows("select _row_number, order_id from raw.orders order by 1") == [
        (1, "O00001"),
        (4, "O00004"),
        (5, "O00005"),
        (7, "O00007"),
        (8, "O00008"),
    ]


def test_orphans_are_loaded_and_listed(run):
    from tests.ingest.samples import EVENT_HEADER, event

    (run.landing / "skus_1.csv").write_text("sku_id,merchant_id\nS001,M01\n", encoding="utf-8")
    write_csv(run.landing / "orders_o.csv", ORDER_HEADER, [order(1, sku_id="S001")])
    write_csv(
        run.landing / "complaints_o.csv",
        COMPLAINT_HEADER,
        [complaint(1, sku_id="S001", merchant_id=""), complaint(2, sku_id="S999")],
    )
    write_csv(run.landing / "complaint_events_o.csv", EVENT_HEADER, [event(1), event(7)])
    report = run()
    assert all(f.rows_loaded == f.rows_read for f in report.files)
    assert run.rows("select merchant_id from raw.complaints where complaint_id = 'C00001'") == [
        (None,)
    ]
    orphans = run.rows("select entity, field, missing_id from meta.orphans order by all")
    assert ("complaints", "sku_id", "S999") in orphans
    assert ("complaints", "order_line", "O00002/S999") in orphans
    assert ("complaint_events", "complaint_id", "C00007") in orphans
    assert ("orders", "merchant_id", "M01") in orphans  # no merchants master yet
    assert not any(o[0] == "complaints" and o[2] == "C00001" for o in orphans)


def test_io_errors_reject_the_file_or_reach_the_orchestrator(run, monkeypatch):
    import pytest

    from flows.landing import pipeline
    from flows.landing.discovery import discover

    write_csv(run.landing / "orders_io.csv", ORDER_HEADER, [order(1)])

    def failing_read(con, path, *layout):
        raise OSError("device not ready")

    monkeypatch.setattr(pipeline, "read_csv", failing_read)
    result = run.file(run(), "orders_io.csv")
    assert (result.status, result.reason) == ("rejected", "device not ready")
    with pipeline.connect(run.database, run.settings) as con, pytest.raises(OSError):
        ctx = pipeline.make_context(run.settings, run.database.parent)
        (run.landing / "orders_io.csv").write_text("order_id\n", encoding="utf-8")  # new content
        pipeline.ingest_file(con, discover(run.landing)[0], ctx, raise_io=True)


def test_integer_spellings(run):
    """Integers may carry a sign, leading zeros or a '.0' tail; other number forms are errors."""
    spellings = {
        "7": 7,
        "07": 7,
        "+7": 7,
        "7.0": 7,
        "7.00": 7,
        "2147483647": 2147483647,
        "7.5": None,
        "1_000": None,
        "1e3": None,
        "0x10": None,
        "7.": None,
        ".7": None,
        "2147483648": None,
        "1,000": None,
    }
    rows = [order(n, quantity=text) for n, text in enumerate(spellings, start=1)]
    write_csv(run.landing / "orders_1.csv", ORDER_HEADER, rows)
    run()
    loaded = dict(run.rows("select order_id, quantity from raw.orders"))
    quarantined = {
        order_id
        for (order_id,) in run.rows(
            "select distinct raw_values->>'order_id' from meta.quarantine where field = 'quantity'"
        )
    }
    for n, (text, expected) in enumerate(spellings.items(), start=1):
        order_id = order(n)["order_id"]
        if expected is None:
            assert order_id in quarantined, text
        else:
            assert loaded.get(order_id) == expected, text
