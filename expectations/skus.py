"""Suite for SKU master rows."""

from __future__ import annotations

from typing import Any

from expectations.contract import suite


def build_suite() -> Any:
    from expectations.gx import load_gx

    gx = load_gx()

    return suite(
        "skus",
        [gx.expectations.ExpectColumnValueLengthsToBeBetween(column="sku_id", min_value=1)],
    )
