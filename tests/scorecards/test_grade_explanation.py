"""The grade's explanation: worded in the reader's language from the mart's structured grade
columns (merchant_scorecard_weekly stores no sentence)."""

from __future__ import annotations

import pytest

from flows.contract import code_label
from flows.formatting import grade_explanation
from tests.scorecards.conftest import mart_rows
from tests.scorecards.planted import TARGET_WEEK

GRADED = {
    "grade_status": "graded",
    "grade": "C",
    "graded_defect_rate": 0.0123,
    "graded_order_lines": 4567,
    "grade_basis_start_iso_week": "2026-W30",
    "grade_basis_end_iso_week": "2026-W41",
    "grade_threshold": 0.02,
    "grade_min_order_lines": 200,
}


def test_each_status_is_worded_in_both_languages():
    assert grade_explanation(GRADED, "en") == (
        "defect rate 1.23 % on 4,567 order lines of the mature order weeks 2026-W30 to "
        "2026-W41 is ≤ 2.00 % → C"
    )
    assert grade_explanation(GRADED, "zh") == (
        "成熟订单周 2026-W30 至 2026-W41 共 4,567 个订单行，缺陷率 1.23 % ≤ 2.00 %，评为 C 级"
    )
    worst = {**GRADED, "grade": "D", "graded_defect_rate": 0.031}
    assert grade_explanation(worst, "en") == (
        "defect rate 3.10 % on 4,567 order lines of the mature order weeks 2026-W30 to "
        "2026-W41 is > 2.00 % → D"
    )
    few = {**GRADED, "grade_status": "insufficient_volume", "grade": None,
           "graded_order_lines": None, "grade_threshold": None}  # fmt: skip
    assert grade_explanation(few, "en") == (
        "Insufficient volume: 0 order lines in the mature order weeks 2026-W30 to 2026-W41, "
        "below the 200 needed for a grade"
    )
    assert grade_explanation(few, "zh") == (
        "样本量不足：成熟订单周 2026-W30 至 2026-W41 仅 0 个订单行，少于评级所需的 200 个"
    )
    # The status words come from the one code table.
    early = {"grade_status": "no_mature_weeks", "grade_basis_end_iso_week": None}
    assert grade_explanation(early, "zh") == code_label("grade_status", "no_mature_weeks", "zh")
    assert grade_explanation({"grade_status": None}, "en") is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_row_of_the_built_mart_has_its_explanation(pipeline_warehouse, lang):
    """Every status the mart produces has its words; a graded row's numbers are its own."""
    rows = mart_rows(
        pipeline_warehouse,
        "select * from marts.merchant_scorecard_weekly where iso_week <= ?",
        [TARGET_WEEK],
    )
    statuses = {r["grade_status"] for r in rows}
    assert {"graded", "insufficient_volume"} <= statuses
    for row in rows:
        text = grade_explanation(row, lang)
        assert text, row
        if row["grade"]:
            assert row["grade"] in text and row["grade_basis_end_iso_week"] in text
            assert row["grade_basis_start_iso_week"] == row["grade_window_start_iso_week"]
