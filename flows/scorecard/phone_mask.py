"""Masks phone numbers in any text a scorecard shows, as a second line of defence.

The marts hold masked values only; this catches a number that slipped into a name or a note so
that no report ever carries one in clear (data contract, "Personal data").
"""

from __future__ import annotations

import re

# Mainland mobile numbers (optionally +86 / 0086 prefixed, optionally split by spaces or dashes)
# and landlines with an area code; digits inside longer digit runs (ids) are left alone.
_MOBILE = re.compile(r"(?<!\d)(?:(?:\+|00)86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})-(\d{3,4})(\d{4})(?!\d)")


def mask_phones(text: str) -> str:
    """``13812345678`` → ``138****5678``; landlines keep the area code and last four digits."""
    text = _MOBILE.sub(lambda m: f"{m[1]}****{m[3]}", text)
    return _LANDLINE.sub(lambda m: f"{m[1]}-****{m[3]}", text)


def masked(value: object) -> object:
    """``mask_phones`` for strings; any other value unchanged (for templates and cells)."""
    return mask_phones(value) if isinstance(value, str) else value
