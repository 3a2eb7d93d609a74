"""Message texts: escalation levels, and the guard that keeps personal data out."""

from __future__ import annotations

import pytest

from flows.alerts.kinds import Alert, doubling_level
from flows.alerts.messages import PersonalDataError, check_no_personal_data, single


@pytest.mark.parametrize(
    ("value", "threshold", "level"), [(2, 3, 0), (3, 3, 1), (5, 3, 1), (6, 3, 2), (12, 3, 3)]
)
def test_levels_rise_each_time_the_count_doubles(value, threshold, level):
    assert doubling_level(value, threshold) == level


@pytest.mark.parametrize("text", ["请联系我13912345678", "电话 139****5678", "buyer_id B1"])
def test_personal_data_is_refused(text):
    with pytest.raises(PersonalDataError):
        check_no_personal_data(text)


def test_a_fact_with_a_phone_number_is_not_sent():
    alert = Alert("r", "sku_defect_spike", "S1|w", 1, "skus", {}, {
        "sku_name": "杯子 13912345678", "sku_id": "S1", "merchant_name": "m", "iso_week": "w",
        "defect_lines": 3, "order_lines": 10, "defect_rate": 0.3, "ucl": 0.1})  # fmt: skip
    with pytest.raises(PersonalDataError):
        single(alert, "zh", "http://x", escalated=False, repeat=False)
