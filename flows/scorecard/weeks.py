"""ISO weeks in the platform time zone: parsing ``2026-W47`` and choosing the default week."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flows.errors import UserError

_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{2})$")


@dataclass(frozen=True)
class IsoWeek:
    """One ISO week (Monday start) of the platform calendar."""

    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        match = _ISO_WEEK.match(text.strip().upper())
        if not match:
            raise UserError("err_bad_week", text=repr(text))
        year, week = int(match[1]), int(match[2])
        try:
            date.fromisocalendar(year, week, 1)
        except ValueError:
            raise UserError("err_no_such_week", text=repr(text), year=year, week=week) from None
        return cls(year, week)

    @classmethod
    def containing(cls, day: date) -> IsoWeek:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def start(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def end(self) -> date:
        """The week's Sunday."""
        return self.start + timedelta(days=6)

    def shifted(self, weeks: int) -> IsoWeek:
        return IsoWeek.containing(self.start + timedelta(weeks=weeks))

    def end_instant(self, timezone: str) -> datetime:
        """The instant the week ends (next Monday 00:00 in the platform time zone)."""
        return datetime.combine(self.start + timedelta(days=7), time(), ZoneInfo(timezone))

    def __str__(self) -> str:
        return self.label


def last_complete_week(as_of: datetime, timezone: str) -> IsoWeek:
    """The last ISO week that ended at or before ``as_of`` (taken in the platform time zone)."""
    local = as_of.astimezone(ZoneInfo(timezone)) if as_of.tzinfo else as_of
    return IsoWeek.containing(local.date()).shifted(-1)
