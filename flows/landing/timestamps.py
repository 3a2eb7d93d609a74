"""SQL that turns every accepted timestamp spelling into an instant (``TIMESTAMPTZ``).

Accepted: ``2026-11-26 10:00:00``, ``2026-11-26T10:00:00+08:00`` (any offset or ``Z``),
``2026/11/26 10:00:00``, ``2026/11/26 10:00``, fractional seconds, Excel serial day numbers, plus a
profile's own formats. Naive times are read in the platform (or profile) time zone; where that zone
has daylight saving, an ambiguous time takes the earlier instant and a non-existent one moves
forward by the gap. The parsing runs in DuckDB over whole columns, never row by row in Python.
The session time zone must be UTC (``pipeline`` sets it).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from flows.landing.sqltext import literal, string_list

# Accepted without a profile (DuckDB's ISO cast reads all of them once '/' becomes '-'):
# 2026-11-26 10:00:00, 2026-11-26T10:00:00, 2026/11/26 10:00:00, 2026/11/26 10:00, fractional
# seconds, plain dates; with an offset: +08:00, +0800, +08 or Z. Strings are cast, not matched
# against a list of strptime formats, because a failed strptime attempt is costly per row.
_SERIAL_RE = r"[2-7][0-9]{4}([.][0-9]+)?"  # Excel serial day numbers, 1954-2119


def has_offset_sql(text: str) -> str:
    """True when the text ends in a UTC offset or Z (a date such as 2026-11-26 does not)."""
    return (
        f"(length({text}) > 16 and (right({text}, 1) in ('Z', 'z') "
        f"or substr({text}, -6, 1) in ('+', '-') or substr({text}, -5, 1) in ('+', '-') "
        f"or substr({text}, -3, 1) in ('+', '-')))"
    )


@lru_cache(maxsize=64)
def fixed_offset_seconds(zone: str) -> int | None:
    """The zone's UTC offset when it has been constant since 1992 (no DST), else None."""
    tz = ZoneInfo(zone)
    offsets = set()
    start = datetime(1992, 1, 1)
    for week in range(0, 52 * 110, 2):
        offset = tz.utcoffset(start + timedelta(weeks=week))
        offsets.add(offset)
        if len(offsets) > 1:
            return None
    (offset,) = offsets
    return int(offset.total_seconds())


def naive_sql(text: str, formats: tuple[str, ...] = ()) -> str:
    """A naive ``TIMESTAMP`` from text (a profile's formats first), or NULL."""
    parts = [f"try_strptime({text}, {string_list(formats)})"] if formats else []
    parts.append(f"try_cast(replace({text}, '/', '-') as timestamp)")
    parts.append(
        f"case when regexp_full_match({text}, '{_SERIAL_RE}') then "
        f"timestamp '1899-12-30' + to_microseconds(1000 * cast(round(try_cast({text} as double) "
        f"* 86400000) as bigint)) end"
    )
    return f"coalesce({', '.join(parts)})"


def local_to_instant_sql(naive: str, zone: str) -> str:
    """The instant of a naive local time in ``zone`` (DST: earlier instant; gaps move forward)."""
    fixed = fixed_offset_seconds(zone)
    if fixed is not None:
        # Epoch microseconds to an instant directly: a third of the cost of casting to
        # TIMESTAMPTZ and subtracting an interval. ``epoch_us`` has no value for the infinite
        # timestamps DuckDB's cast accepts ('infinity'): those keep the cast.
        return (
            f"coalesce(make_timestamptz(epoch_us({naive}) - {fixed * 1_000_000}), "
            f"cast({naive} as timestamptz) - to_seconds({fixed}))"
        )
    z = literal(zone)
    # ICU resolves a gap forward (as the contract wants) but an overlap to the later instant;
    # take the earlier one when it names the same wall-clock time.
    first = f"timezone({z}, {naive})"
    earlier = f"({first} - interval 1 hour)"
    return f"(case when timezone({z}, {earlier}) = {naive} then {earlier} else {first} end)"


# The contract's canonical spelling, by far the most common: exactly 19 characters, no offset.
CANONICAL = "%Y-%m-%d %H:%M:%S"


def instant_sql(text: str, zone: str, formats: tuple[str, ...] = ()) -> str:
    """A ``TIMESTAMPTZ`` from trimmed text: offsets honoured, naive times read in ``zone``."""
    with_offset = f"try_cast(replace({text}, '/', '-') as timestamptz)"
    general = (
        f"(case when {has_offset_sql(text)} then {with_offset} "
        f"else {local_to_instant_sql(naive_sql(text, formats), zone)} end)"
    )
    if formats:  # a profile's own formats come first, so no shortcut may pre-empt them
        return general
    # Fast path: a strict parse of the canonical form (it cannot carry an offset) costs about
    # half of the offset test and the general parse; anything else takes the general path.
    canonical = local_to_instant_sql(f"try_strptime({text}, {literal(CANONICAL)})", zone)
    return (
        f"(case when length({text}) = 19 then coalesce({canonical}, {general}) else {general} end)"
    )


def date_sql(text: str, formats: tuple[str, ...] = ()) -> str:
    """A ``DATE`` from text: a date, a naive timestamp's calendar day, or an Excel serial."""
    return f"cast({naive_sql(text, formats)} as date)"
