"""File identity is (content, entity), and a rejected file keeps its rows, headers and reason."""

from __future__ import annotations

import gzip
import shutil

from tests.ingest.samples import COMPLAINT_HEADER, EVENT_HEADER, complaint, csv_text, write_csv


def test_the_same_bytes_as_two_entities_are_two_files(run):
    """A complaints export also declared as an events source (through a profile) is loaded as
    both, not skipped as a duplicate file."""
    header = sorted(set(COMPLAINT_HEADER) | set(EVENT_HEADER))
    rows = [{**complaint(n), "event_type": "received", "occurred_at": "2026-11-20 10:00:00",
             "actor": "system", "note": ""} for n in range(1, 4)]  # fmt: skip
    write_csv(run.landing / "complaints_both.csv", header, rows)
    shutil.copy(run.landing / "complaints_both.csv", run.landing / "zz_events.csv")
    profiles = run.landing.parent / "profiles.yml"
    profiles.write_text(
        "profiles:\n  - name: events_too\n    entity: complaint_events\n"
        "    match: {file_glob: 'zz_events*'}\n",
        encoding="utf-8",
    )
    report = run(profiles)
    statuses = {(f.file_name, f.entity, f.status) for f in report.files}
    assert statuses == {
        ("complaints_both.csv", "complaints", "loaded"),
        ("zz_events.csv", "complaint_events", "loaded"),
    }
    assert run.rows("select count(*) from raw.complaints") == [(3,)]
    assert run.rows("select count(*) from raw.complaint_events") == [(3,)]
    ids = run.rows("select file_id, content_sha256 from meta.file_ledger order by load_seq")
    assert ids[0][1] == ids[1][1] and ids[0][0] != ids[1][0]
    # A second delivery of the same bytes as complaints is still a duplicate file.
    shutil.copy(run.landing / "complaints_both.csv", run.landing / "complaints_again.csv")
    again = run.file(run(profiles), "complaints_again.csv")
    assert again.status == "skipped" and "duplicate" in again.reason


def test_a_rejected_file_keeps_rows_headers_and_the_full_reason(run):
    text = csv_text(["order_id", "sku_id", "buyer 13912345678"], [])
    text += "".join(f"O{n},S1,x\n" for n in range(5))
    (run.landing / "orders_noqty.csv").write_text(text, encoding="utf-8")
    (result,) = run().files
    assert result.status == "rejected"
    ((rows_read, headers, reason),) = run.rows(
        "select rows_read, headers, reason from meta.file_ledger"
    )
    assert rows_read == 5
    assert headers == ["order_id", "sku_id", "buyer 139****5678"]  # masked
    assert reason.startswith("missing required column(s): merchant_id, quantity, ordered_at")


def test_an_unsplittable_file_counts_its_lines(run):
    data = b"order_id,sku_id\n" + b"".join(b"O%d,S1\n" for n in range(7))
    (run.landing / "orders_cut.csv.gz").write_bytes(gzip.compress(data)[:-8])  # no trailer
    (result,) = run().files
    assert result.status == "rejected" and "gzip" in result.reason
    assert run.rows("select rows_read from meta.file_ledger") == [(7,)]
