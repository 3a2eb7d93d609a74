"""Suite for order lines: quantity ≥ 1, amount ≥ 0, shipped/delivered in order, unique lines."""

from __future__ import annotations

from typing import Any

from expectations.contract import suite


def build_suite() -> Any:
    return suite("orders")
