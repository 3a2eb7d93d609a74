"""Generated exports with planted faults: every planted fault is caught as the truth file says."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from flows.generator import GenerateOptions, generate
from flows.landing.pipeline import ingest_landing

QUARANTINE_REASONS = {
    "bad_timestamp": "unparseable timestamp",
    "negative_quantity": "quantity must be an integer ≥ 1",
    "missing_required": "required field missing",
    "unknown_enum": "unknown ",
    "conflicting_duplicate": "conflicting duplicate",
}


@pytest.mark.parametrize(
    ("fmt", "headers", "encoding"),
    [
        ("csv", "en", "utf-8"),
        ("csv", "zh", "gbk"),
        ("xlsx", "zh", "utf-8"),
        ("jsonl", "en", "utf-8"),
        ("parquet", "zh", "utf-8"),
    ],
)
def test_planted_faults_are_caught(run, fmt, headers, encoding):
    truth_path = run.landing.parent / "truth.json"
    generate(
        GenerateOptions(
            out=run.landing,
            truth=truth_path,
            orders=1500,
            weeks=4,
            merchants=6,
            seed=11,
            fmt=fmt,
            headers=headers,
            encoding=encoding,
            dirty_rate=0.03,
            force=True,
        )
    )
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    report = run()
    assert [f.file_name for f in report.files if f.status != "loaded"] == []
    for f in report.files:
        assert f.rows_read == f.rows_loaded + f.rows_quarantined + f.rows_duplicate
        assert f.rows_read == truth["files"][f.file_name]
    quarantine = {
        (file, row, field): reason
        for file, row, field, reason in run.rows(
            "select file_name, row_number, field, reason from meta.quarantine"
        )
    }
    quarantined_rows = {(file, row) for file, row, _ in quarantine}
    warnings = set(run.rows("select file_name, row_number, field from meta.dq_warnings"))
    repeats: Counter[str] = Counter()
    for dirty in truth["dirty_rows"]:
        where = (dirty["file"], dirty["row_number"])
        fault = dirty["fault"]
        if fault in QUARANTINE_REASONS:
            assert where in quarantined_rows, dirty
            reasons = [r for (f, n, _), r in quarantine.items() if (f, n) == where]
            assert any(r.startswith(QUARANTINE_REASONS[fault]) for r in reasons), (dirty, reasons)
            if fault != "conflicting_duplicate":
                assert (*where, dirty["field"]) in quarantine, dirty
        elif fault == "invalid_optional":
            assert (*where, dirty["field"]) in warnings, dirty
        elif fault == "exact_duplicate" and where not in quarantined_rows:
            repeats[dirty["file"]] += 1
    ledger = dict(run.rows("select file_name, rows_duplicate from meta.file_ledger"))
    for file, count in repeats.items():
        assert ledger[file] >= count, file
    assert sum(1 for d in truth["dirty_rows"]) > 20  # the sample really is dirty


def test_progress_reports_each_file_with_the_total(run):
    generate(
        GenerateOptions(
            out=run.landing, truth=run.landing.parent / "t.json", orders=300, weeks=2, merchants=3
        )
    )
    seen: list[tuple[int | None, str]] = []
    report = ingest_landing(
        run.landing, run.database, run.settings, progress=lambda n, what: seen.append((n, what))
    )
    assert [total for total, _ in seen] == [len(report.files)] * len(report.files)
    assert [what.split(":")[0] for _, what in seen] == [f.file_name for f in report.files]
