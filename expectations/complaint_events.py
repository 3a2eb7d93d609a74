"""Suite for complaint events: event types and actors are codes, identity is unique."""

from __future__ import annotations

from typing import Any

from expectations.contract import suite


def build_suite() -> Any:
    from expectations.gx import load_gx

    gx = load_gx()

    return suite(
        "complaint_events",
        [gx.expectations.ExpectColumnValuesToNotMatchRegex(column="note", regex=r"1[3-9][0-9]{9}")],
    )
