"""The working-day calendar of working-time SLA targets, written into the warehouse by the build.

dbt computes every deadline and elapsed working time in SQL from the table ``calendar.working_days``
(one row per date: working or not, and why); this module only writes that table before dbt runs,
from a maintained library (``chinesecalendar``: public holidays and 调休 make-up days), never a
hand-kept list. The library covers a fixed range of years; when working time is in use and the data
needs a year outside it, the build stops with an error naming the date, never falling back to
calendar days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import pandas as pd
from chinese_calendar import constants

from flows.config import Settings
from flows.errors import UserError
from flows.i18n import say

SCHEMA = "calendar"
TABLE = f"{SCHEMA}.working_days"
# The "weekdays" calendar has no holidays to look up: a wide fixed range costs a few thousand rows.
WEEKDAYS_RANGE = (2000, 2100)


@dataclass(frozen=True)
class CalendarDay:
    day: date
    is_working_day: bool
    day_kind: str  # workday, weekend, holiday, makeup_workday
    holiday_name: str | None


def china_supported_years() -> tuple[int, int]:
    """The first and last year the installed chinesecalendar release knows."""
    years = {day.year for day in constants.holidays} | {day.year for day in constants.workdays}
    return min(years), max(years)


def china_days(first_year: int, last_year: int) -> list[CalendarDay]:
    """China's calendar from the library: holidays off, 调休 make-up days (weekends worked) on."""
    supported = china_supported_years()
    if first_year < supported[0] or last_year > supported[1]:
        raise UserError(_beyond_message(date(first_year, 1, 1), supported))
    # The library's own tables (what its is_workday/get_holiday_detail read), walked once:
    # calling those per day costs a second per build.
    holidays, workdays = constants.holidays, constants.workdays
    out = []
    day, end = date(first_year, 1, 1), date(last_year, 12, 31)
    while day <= end:
        if day in workdays:
            working, kind, name = True, "makeup_workday", workdays[day]
        elif day in holidays:
            working, kind, name = False, "holiday", holidays[day]
        elif day.weekday() >= 5:
            working, kind, name = False, "weekend", None
        else:
            working, kind, name = True, "workday", None
        label = getattr(name, "value", name) if name is not None else None
        out.append(CalendarDay(day, working, kind, label))
        day += timedelta(days=1)
    return out


def china_calendar_between(first: date, end: date) -> dict[str, object]:
    """China's public holidays and 调休 make-up working days in [first, end), as ISO dates, for
    the generator's ground truth; days past the library's years are left out and said so."""
    supported = china_supported_years()
    lo = max(first, date(supported[0], 1, 1))
    hi = min(end - timedelta(days=1), date(supported[1], 12, 31))
    days = china_days(lo.year, hi.year) if lo <= hi else []
    inside = [d for d in days if lo <= d.day <= hi]
    return {
        "holidays": [
            f"{d.day.isoformat()} {d.holiday_name}" for d in inside if d.day_kind == "holiday"
        ],
        "makeup_workdays": [
            f"{d.day.isoformat()} {d.holiday_name}"
            for d in inside
            if d.day_kind == "makeup_workday"
        ],
        "covered_through": min(end - timedelta(days=1), date(supported[1], 12, 31)).isoformat(),
    }


def weekday_days(first_year: int, last_year: int) -> list[CalendarDay]:
    """Monday to Friday, no holidays: for platforms that did not configure China's calendar."""
    out = []
    day, end = date(first_year, 1, 1), date(last_year, 12, 31)
    while day <= end:
        working = day.weekday() < 5
        out.append(CalendarDay(day, working, "workday" if working else "weekend", None))
        day += timedelta(days=1)
    return out


def _beyond_message(day: date, supported: tuple[int, int]) -> str:
    return say(
        "err_calendar_beyond",
        day=day.isoformat(),
        version=_library_version(),
        first=supported[0],
        last=supported[1],
    )


def _library_version() -> str:
    from importlib.metadata import version

    return version("chinesecalendar")


def check_data_range(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None) -> None:
    """Stop when a complaint starts, or the build's as_of falls, outside the library's years.

    Every deadline an open stage could be judged against lies before as_of, so a calendar that
    covers the first start through as_of decides every SLA status; a deadline after the last
    covered day is left null (it is after as_of, so not yet due).
    """
    first, latest = con.execute(
        """select min(received_at), max(updated_at) from raw.complaints
            where received_at is not null"""
    ).fetchone()
    (latest_event,) = con.execute("select max(occurred_at) from raw.complaint_events").fetchone()
    if first is None:
        return
    supported = china_supported_years()
    zone = settings.timezone
    (first_day,) = con.execute(
        "select cast(timezone(?, ?::timestamptz) as date)", [zone, first]
    ).fetchone()
    end = as_of or max(x for x in (latest, latest_event) if x is not None)
    (end_day,) = con.execute(
        "select cast(timezone(?, ?::timestamptz) as date)", [zone, end]
    ).fetchone()
    for day in (first_day, end_day):
        if not supported[0] <= day.year <= supported[1]:
            raise UserError(_beyond_message(day, supported))


def write_calendar(
    con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None = None
) -> int:
    """(Re)write ``calendar.working_days`` for the configured calendar; returns the row count.

    The range check runs only when a target is in working time, so a platform measuring calendar
    hours alone never depends on the library's years.
    """
    name = settings.working_calendar_name()
    if name == "china":
        if settings.uses_working_time():
            check_data_range(con, settings, as_of)
        days = china_days(*china_supported_years())
    else:
        days = weekday_days(*WEEKDAYS_RANGE)
    con.execute(f"create schema if not exists {SCHEMA}")
    frame = pd.DataFrame(
        {
            "day": pd.to_datetime([d.day for d in days]).date,
            "is_working_day": [d.is_working_day for d in days],
            "day_kind": [d.day_kind for d in days],
            "holiday_name": pd.Series([d.holiday_name for d in days], dtype="object"),
            "calendar": name,
        }
    )
    con.register("working_days_frame", frame)
    try:
        con.execute(
            f"""create or replace table {TABLE} as select
                    cast(day as date) as day, is_working_day, day_kind,
                    cast(holiday_name as varchar) as holiday_name, calendar
                from working_days_frame order by day"""
        )
    finally:
        con.unregister("working_days_frame")
    return len(days)
