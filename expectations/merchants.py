"""Suite for merchant master rows."""

from __future__ import annotations

from typing import Any

from expectations.contract import suite


def build_suite() -> Any:
    from expectations.gx import load_gx

    gx = load_gx()

    return suite(
        "merchants",
        [gx.expectations.ExpectColumnValueLengthsToBeBetween(column="merchant_id", min_value=1)],
    )
