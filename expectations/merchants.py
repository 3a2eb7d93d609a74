"""Suite for merchant master rows."""

from __future__ import annotations

from typing import Any

from expectations.contract import suite


def build_suite() -> Any:
    import great_expectations as gx

    return suite(
        "merchants",
        [gx.expectations.ExpectColumnValueLengthsToBeBetween(column="merchant_id", min_value=1)],
    )
