"""ISO week parsing, the default week, and the phone mask."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from flows.errors import UserError
from flows.scorecard.phone_mask import mask_phones
from flows.scorecard.weeks import IsoWeek, last_complete_week

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (datetime(2026, 11, 25, 10, 0, tzinfo=UTC), "2026-W47"),  # Wednesday of W48
        (datetime(2026, 11, 23, 0, 0, tzinfo=SHANGHAI), "2026-W47"),  # W47 just ended
        (datetime(2026, 11, 22, 23, 59, tzinfo=SHANGHAI), "2026-W46"),  # W47 not complete yet
        (datetime(2026, 11, 22, 17, 0, tzinfo=UTC), "2026-W47"),  # Monday 01:00 in Shanghai
        (datetime(2027, 1, 5, 12, 0, tzinfo=UTC), "2026-W53"),  # year boundary
    ],
)
def test_last_complete_week_is_taken_in_the_platform_time_zone(as_of, expected):
    assert last_complete_week(as_of, "Asia/Shanghai").label == expected


def test_week_parsing():
    week = IsoWeek.parse("2026-w47")
    assert (week.label, week.start.isoformat(), week.end.isoformat()) == (
        "2026-W47",
        "2026-11-16",
        "2026-11-22",
    )
    assert week.shifted(-1).label == "2026-W46"
    for bad in ("2026-47", "W47", "2025-W53"):
        with pytest.raises(UserError):
            IsoWeek.parse(bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call 13812345678 now", "call 138****5678 now"),
        ("+86 138 1234 5678", "138****5678"),
        ("tel:0086-13912345678.", "tel:139****5678."),
        ("landline 021-87654321", "landline 021-****4321"),
        ("order 2026111312345678901 stays", "order 2026111312345678901 stays"),
        ("already 138****5678", "already 138****5678"),
    ],
)
def test_phone_mask(text, expected):
    assert mask_phones(text) == expected
