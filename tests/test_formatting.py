"""The small-number rule of every face (flows/formatting.py): a rate resting on fewer cases than
the configured minimum is never shown as a number, always with its n."""

from __future__ import annotations

import math

import pandas as pd

from flows import formatting as fmt
from flows.config import Settings

MINIMUM = Settings().min_rate_base


def test_rate_with_n_shows_the_count_and_hides_a_small_rate():
    assert fmt.rate_with_n(0.02094, 450, MINIMUM) == "2.09 % (n = 450)"
    small = fmt.rate_with_n(0.25, MINIMUM - 1, MINIMUM)
    assert small == f"— (n = {MINIMUM - 1} < {MINIMUM})"
    assert "25" not in small
    assert fmt.rate_with_n(None, None, MINIMUM) == "—"
    # Exactly at the minimum the rate is shown.
    assert fmt.rate_with_n(0.1, MINIMUM, MINIMUM) == f"10.00 % (n = {MINIMUM})"


def test_table_rates_below_the_minimum_are_blanked_with_their_ci():
    frame = pd.DataFrame(
        {
            "merchant_id": ["big", "small", "none"],
            "order_lines": [500, MINIMUM - 1, 0],
            "defect_rate": [0.02, 1.0, None],
            "defect_rate_ci_low": [0.01, 0.8, None],
            "defect_rate_ci_high": [0.03, 1.0, None],
            "category_median_defect_rate": [0.02, 0.02, 0.02],
        }
    )
    shown, blanked = fmt.blank_small_rates(frame, MINIMUM)
    assert shown.loc[0, "defect_rate"] == 0.02
    for column in ("defect_rate", "defect_rate_ci_low", "defect_rate_ci_high"):
        assert math.isnan(shown.loc[1, column]), column
    assert blanked == {"defect_rate": 1, "defect_rate_ci_low": 1, "defect_rate_ci_high": 1}
    # A rate without a base in the table is left alone; the input is not changed.
    assert (shown["category_median_defect_rate"] == 0.02).all()
    assert frame.loc[1, "defect_rate"] == 1.0


def test_a_change_between_two_windows_needs_both_bases():
    frame = pd.DataFrame(
        {
            "before_order_lines": [400, 400, 10],
            "after_order_lines": [300, 10, 300],
            "before_defect_rate": [0.05, 0.05, 0.5],
            "after_defect_rate": [0.01, 0.0, 0.01],
            "relative_change": [-0.8, -1.0, -0.98],
        }
    )
    shown, _ = fmt.blank_small_rates(frame, MINIMUM)
    assert shown["relative_change"].notna().tolist() == [True, False, False]
    assert shown["after_defect_rate"].notna().tolist() == [True, False, True]
    assert shown["before_defect_rate"].notna().tolist() == [True, True, False]


def test_card_rows_blank_small_rates_per_stage_and_sku():
    stage = {"stage": "acknowledge", "n_measured": 3, "compliance_rate": 0.0}
    assert fmt.blank_small_rate_row(stage, MINIMUM)["compliance_rate"] is None
    row = {"acknowledge_n_measured": 3, "acknowledge_compliance_rate": 1.0, "order_lines": 900}
    row["defect_rate"] = 0.01
    out = fmt.blank_small_rate_row(row, MINIMUM)
    assert out["acknowledge_compliance_rate"] is None and out["defect_rate"] == 0.01
    sku = {"week_order_lines": 4, "week_defect_rate": 0.5, "window_order_lines": 80}
    sku["window_defect_rate"] = 0.05
    out = fmt.blank_small_rate_row(sku, MINIMUM)
    assert out["week_defect_rate"] is None and out["window_defect_rate"] == 0.05
