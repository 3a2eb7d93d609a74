"""Reading a user-given reference time (``--as-of``) into one instant for the dbt build."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flows.errors import UserError


def parse_as_of(text: str, timezone: str) -> str:
    """The instant ``text`` names, as ISO 8601 with its UTC offset.

    A naive time is read in the platform time zone; an ambiguous local time takes the earlier
    instant and a non-existent one moves forward by the gap (data contract, "Time arithmetic").
    """
    cleaned = text.strip().replace("/", "-")
    try:
        parsed = datetime.fromisoformat(cleaned)
    except ValueError:
        raise UserError(
            f"--as-of {text!r} is not a time; use e.g. '2026-11-26 10:00' or "
            "'2026-11-26T10:00:00+08:00'"
        ) from None
    if parsed.tzinfo is None:
        # fold=0 picks the earlier of two ambiguous instants; a time in a spring-forward gap gets
        # the offset before the gap, which lands it after the gap once normalised through UTC.
        parsed = parsed.replace(tzinfo=ZoneInfo(timezone), fold=0)
        parsed = parsed.astimezone(UTC).astimezone(ZoneInfo(timezone))
    return parsed.isoformat()
