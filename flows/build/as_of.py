"""Reading a user-given reference time (``--as-of``) into one instant for the dbt build."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import duckdb

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
        raise UserError("err_as_of_not_time", text=repr(text)) from None
    if parsed.tzinfo is None:
        # fold=0 picks the earlier of two ambiguous instants; a time in a spring-forward gap gets
        # the offset before the gap, which lands it after the gap once normalised through UTC.
        parsed = parsed.replace(tzinfo=ZoneInfo(timezone), fold=0)
        parsed = parsed.astimezone(UTC).astimezone(ZoneInfo(timezone))
    return parsed.isoformat()


@dataclass(frozen=True)
class LoadedSpan:
    """The instants the loaded raw data covers: what a reference time may sensibly be."""

    earliest: datetime | None  # first order or complaint
    latest: datetime | None  # last complaint update or event: the default as_of


_SPAN_SQL = """
    select
        least(
            (select min(ordered_at) from raw.orders),
            (select min(received_at) from raw.complaints)
        ),
        greatest(
            (select max(updated_at) from raw.complaints),
            (select max(occurred_at) from raw.complaint_events)
        )
"""


def loaded_span(con: duckdb.DuckDBPyConnection) -> LoadedSpan:
    """The span of the raw tables (both ends None when nothing with a time is loaded)."""
    try:
        earliest, latest = con.execute(_SPAN_SQL).fetchone()
    except duckdb.CatalogException:  # nothing was ever ingested into this file
        return LoadedSpan(None, None)
    return LoadedSpan(earliest, latest)


def check_as_of(instant: str | None, span: LoadedSpan, max_days_after: int, force: bool) -> None:
    """Refuse a build whose reference time cannot give meaningful numbers.

    Without ``--as-of`` the reference time is the latest complaint update or event loaded, so a
    warehouse holding no complaints or events has none. A given one before the data or long after
    it would publish a warehouse where nothing is received yet, or everything is mature and
    overdue; ``--force`` allows it on purpose.
    """
    if instant is None:
        if span.latest is None:
            raise UserError("err_no_complaints")
        return
    if force or span.latest is None:
        return
    chosen = datetime.fromisoformat(instant)
    last_allowed = span.latest + timedelta(days=max_days_after)
    if (span.earliest is not None and chosen < span.earliest) or chosen > last_allowed:
        first = span.earliest or span.latest
        raise UserError(
            "err_as_of_outside",
            instant=instant,
            first=f"{first:%Y-%m-%d %H:%M}",
            last=f"{span.latest:%Y-%m-%d %H:%M}",
            days=max_days_after,
        )
