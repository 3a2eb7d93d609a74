"""Random byte mutations of a valid CSV never crash the ingest, and the counts always reconcile."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.config import Settings
from flows.landing.pipeline import ingest_landing
from tests.ingest.samples import COMPLAINT_HEADER, complaint, csv_text

VALID = csv_text(
    COMPLAINT_HEADER,
    [complaint(1, description="多行\n描述, 含逗号"), complaint(2), complaint(3, status="已关闭")],
).encode("utf-8")

mutation = st.tuples(
    st.integers(min_value=0, max_value=len(VALID) - 1),
    st.sampled_from(["flip", "insert", "delete"]),
    st.binary(min_size=1, max_size=3),
)


def _mutate(data: bytes, edits: list[tuple[int, str, bytes]]) -> bytes:
    out = bytearray(data)
    for position, kind, payload in edits:
        position = min(position, max(len(out) - 1, 0))
        if kind == "flip" and out:
            out[position] = payload[0]
        elif kind == "insert":
            out[position:position] = payload
        elif out:
            del out[position : position + len(payload)]
    return bytes(out)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(mutation, min_size=1, max_size=6))
def test_mutated_csv_never_crashes_and_reconciles(edits):
    work = Path(tempfile.mkdtemp(prefix="ingest-prop-"))
    try:
        landing = work / "landing"
        landing.mkdir()
        (landing / "complaints_m.csv").write_bytes(_mutate(VALID, edits))
        config = replace(Settings(), key_file=work / "key", profiles_file=work / "none.yml")
        report = ingest_landing(landing, work / "w.duckdb", config)
        (result,) = report.files
        assert result.status in ("loaded", "rejected")
        if result.status == "loaded":
            assert result.rows_read == (
                result.rows_loaded + result.rows_quarantined + result.rows_duplicate
            )
        else:  # nothing loaded; the rows are counted as far as the file could be read
            assert result.reason
            assert (result.rows_loaded, result.rows_quarantined, result.rows_duplicate) == (0, 0, 0)
            assert result.rows_read >= 0
    finally:
        shutil.rmtree(work, ignore_errors=True)
