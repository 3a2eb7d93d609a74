"""Masks phone numbers in any text a scorecard shows, as a second line of defence.

The marts hold masked values only; this catches a number that slipped into a name or a note so
that no report ever carries one in clear (data contract, "Personal data").
"""

from __future__ import annotations

from flows.landing.pii import mask_text


def mask_phones(text: str) -> str:
    """``13812345678`` → ``138****5678`` in any written form (the ingest's own normaliser, so
    reports and warehouse agree on what a phone number is); identifiers are left alone."""
    return mask_text(text)


def masked(value: object) -> object:
    """``mask_phones`` for strings; any other value unchanged (for templates and cells)."""
    return mask_phones(value) if isinstance(value, str) else value
