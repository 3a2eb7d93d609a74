"""On a small warehouse built by the real pipeline (generate → daily-pipeline flow): the flow
records its per-file and per-model results, and the scorecards carry the marts' numbers, open
offline and handle merchants without orders, on whatever the generator and the models produce."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

import openpyxl
import pytest

from flows.config import Settings
from flows.formatting import grade_explanation
from flows.scorecard.produce import read_cards, write_all
from flows.scorecard.queries import card_value, resolve_week
from flows.scorecard.weeks import IsoWeek
from tests.scorecards.conftest import mart_rows
from tests.scorecards.html_metrics import first, parse_metrics

pytestmark = pytest.mark.prefect

METRICS = [
    "order_lines",
    "n_complaints_received",
    "defect_rate",
    "defect_rate_ci_low",
    "defect_rate_ci_high",
    "category_median_defect_rate",
    "defect_rate_percentile",
    "merchant_evidence_on_time_rate",
    "refund_amount",
    "grade",
    "grade_explanation",
]


# The count each rate above rests on (written out, not read from flows.formatting).
_BASES = {
    "defect_rate": "order_lines",
    "defect_rate_ci_low": "order_lines",
    "defect_rate_ci_high": "order_lines",
    "merchant_evidence_on_time_rate": "merchant_evidence_n_measured",
}


@pytest.fixture
def real_settings(pipeline_warehouse, tmp_path):
    return dataclasses.replace(Settings(), warehouse=pipeline_warehouse, reports=tmp_path)


def _same(shown: str, expected) -> bool:
    if expected is None:
        return shown == ""
    if isinstance(expected, str):
        return shown == expected
    if isinstance(expected, Decimal):
        return Decimal(shown) == expected
    return float(shown) == card_value(float(expected))  # as the cards carry it


def test_daily_pipeline_records_files_and_models_as_artifacts(pipeline_warehouse):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    keys = ["daily-pipeline-files", "daily-pipeline-models"]
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=keys))
        )
    by_key = {a.key: a for a in artifacts}
    assert set(by_key) == set(keys)
    files = mart_rows(pipeline_warehouse, "select file_name from marts.dq_file_ledger")
    assert all(f["file_name"] in str(by_key["daily-pipeline-files"].data) for f in files)
    assert "merchant_scorecard_weekly" in str(by_key["daily-pipeline-models"].data)


def test_every_card_of_the_default_week_shows_the_mart_numbers(real_settings, tmp_path):
    week = resolve_week(real_settings.warehouse, None, real_settings)
    cards = read_cards(real_settings.warehouse, week, real_settings, "zh")
    categories, index = write_all(cards, tmp_path / "out", real_settings, "zh")
    mart = {
        r["merchant_id"]: r
        for r in mart_rows(
            real_settings.warehouse,
            "select * from marts.merchant_scorecard_weekly where iso_week = ?",
            [week.label],
        )
    }
    written = {m: p for c in categories for m, p in c.cards.items()}
    assert set(written) == set(mart)
    for merchant_id, path in written.items():
        html = path.read_text(encoding="utf-8")
        assert not re.search(r"https?://", html)
        row = mart[merchant_id]
        if not row["order_lines"]:
            assert 'data-section="no-activity"' in html
            continue
        parsed = parse_metrics(html)
        for name in METRICS:
            if name == "grade" and row["grade"] is None:
                # Not graded (insufficient volume, or no mature week): the status instead.
                assert row["grade_status"] in ("insufficient_volume", "no_mature_weeks")
                assert 'data-metric="grade_status"' in html
                continue
            value, _ = first(parsed, name)
            expected = grade_explanation(row, "zh") if name == "grade_explanation" else row[name]
            base = _BASES.get(name)
            if base and (row[base] or 0) < real_settings.min_rate_base:
                expected = None  # too few cases: the card shows "—", never the number
            assert _same(value, expected), (merchant_id, name, value, expected)
    for files in categories:
        book = openpyxl.load_workbook(files.workbook)
        assert len(book.sheetnames) == 1 + len(files.cards)
        assert all(len(n) <= 31 for n in book.sheetnames)
    assert not re.search(r"https?://", index.read_text(encoding="utf-8"))


def test_a_week_with_a_merchant_without_orders(real_settings, tmp_path):
    rows = mart_rows(
        real_settings.warehouse,
        "select iso_week, merchant_id from marts.merchant_scorecard_weekly "
        "where order_lines = 0 order by week_start desc limit 1",
    )
    assert rows, "the sample has a merchant-week without orders"
    week, merchant_id = rows[0]["iso_week"], rows[0]["merchant_id"]
    cards = read_cards(real_settings.warehouse, IsoWeek.parse(week), real_settings, "en")
    categories, _ = write_all(cards, tmp_path / "out", real_settings, "en")
    path = next(c.cards[merchant_id] for c in categories if merchant_id in c.cards)
    html = path.read_text(encoding="utf-8")
    assert "No activity this week" in html
    assert "defect_rate" not in {name for name, _, _ in parse_metrics(html).metrics}
