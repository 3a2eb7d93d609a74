"""Hostile landing files: glob characters in names, symlinks out of the landing folder, NUL
bytes in values, and retrying files rejected for an environmental reason."""

from __future__ import annotations

import os

from tests.ingest.samples import ORDER_HEADER, csv_text, order, write_csv


def test_a_file_name_with_glob_characters_is_read_literally(run):
    write_csv(run.landing / "orders_1.csv", ORDER_HEADER, [order(1), order(2)])
    write_csv(run.landing / "orders_2.csv", ORDER_HEADER, [order(3)])
    write_csv(run.landing / "orders_*.csv", ORDER_HEADER, [order(4)])
    report = run()
    starred = run.file(report, "orders_*.csv")
    assert (starred.status, starred.rows_read, starred.rows_loaded) == ("loaded", 1, 1)
    assert run.rows("select count(*) from raw.orders") == [(4,)]


def test_a_symlink_out_of_the_landing_folder_is_refused(run, tmp_path):
    outside = write_csv(tmp_path / "secret_orders.csv", ORDER_HEADER, [order(1)])
    os.symlink(outside, run.landing / "orders_link.csv")
    inside = write_csv(run.landing / "orders_real.csv", ORDER_HEADER, [order(2)])
    os.symlink(inside, run.landing / "orders_alias.csv")
    report = run()
    refused = run.file(report, "orders_link.csv")
    assert refused.status == "rejected" and "outside the landing folder" in refused.reason
    # A link inside the folder is read (the same content as its target: loaded once).
    assert run.file(report, "orders_alias.csv").status == "loaded"
    assert run.file(report, "orders_real.csv").status == "skipped"
    assert run.rows("select order_id from raw.orders") == [("O00002",)]


def test_nul_bytes_in_values_are_quarantined(run):
    text = csv_text(ORDER_HEADER, [order(1, order_id="O0\x00001"), order(2, province="广\x00东")])
    (run.landing / "orders_nul.csv").write_text(text, encoding="utf-8")
    (result,) = run().files
    assert (result.rows_loaded, result.rows_quarantined) == (0, 2), result.reason
    assert run.rows("select distinct reason from meta.quarantine") == [("NUL byte in value",)]


def test_retry_rejected_judges_an_earlier_rejection_again(run, monkeypatch):
    from flows.landing import pipeline

    write_csv(run.landing / "orders_1.csv", ORDER_HEADER, [order(1)])
    real = pipeline.read_csv

    def failing(*args, **kwargs):
        raise pipeline.UnreadableFile("not a readable CSV (Permission denied)")

    monkeypatch.setattr(pipeline, "read_csv", failing)
    assert [f.status for f in run().files] == ["rejected"]
    monkeypatch.setattr(pipeline, "read_csv", real)
    assert [f.rejected_earlier for f in run().files] == [True]  # skipped until it changes
    retried = pipeline.ingest_landing(run.landing, run.database, run.settings, retry_rejected=True)
    assert [f.status for f in retried.files] == ["loaded"]
    assert run.rows("select status from meta.file_ledger") == [("loaded",)]


def test_a_nul_byte_far_into_a_large_file_is_still_found(run):
    """The rules leave out the NUL test only for a file whose every byte was searched while
    hashed: one NUL after several hash chunks still quarantines its row."""
    rows = [order(n) for n in range(1, 30_001)] + [order(30_001, province="广\x00东")]
    text = csv_text(ORDER_HEADER, rows)
    assert len(text.encode()) > 2 * 1024 * 1024 and text.index("\x00") > 2 * 1024 * 1024
    (run.landing / "orders_late_nul.csv").write_text(text, encoding="utf-8")
    (result,) = run().files
    assert (result.rows_loaded, result.rows_quarantined) == (30_000, 1), result.reason
    assert run.rows("select row_number, reason from meta.quarantine") == [
        (30_001, "NUL byte in value")
    ]
