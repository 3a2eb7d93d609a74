"""Suite for corrective actions: action types are codes, completion not before opening."""

from __future__ import annotations

from typing import Any

from expectations.contract import suite


def build_suite() -> Any:
    return suite("corrective_actions")
