"""Working-time SLA targets on China's calendar, built end to end on designed complaints.

The deadlines below were worked out by hand on the 2026 arrangement the State Council published
(National Day 1–7 October off, Saturday 10 October worked; 13 November an ordinary Friday), with
business hours 09:00–18:00 Asia/Shanghai (9 working hours a day).
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import duckdb
import pytest

from flows.build.run import build_warehouse
from flows.config import Settings
from flows.errors import UserError
from flows.warehouse import read_only
from flows.working_calendar import china_supported_years, write_calendar
from tests.models.designed_rows import WORKING_TARGETS, load_working_design


def _stages(live, where: str = "true") -> dict:
    with read_only(live) as con:
        rows = con.execute(
            f"""select complaint_id, stage, status, target_unit, target_value,
                    strftime(deadline_at at time zone 'Asia/Shanghai', '%Y-%m-%d %H:%M:%S'),
                    elapsed_working_hours
                from intermediate.int_complaint_sla_stages_evaluated where {where}"""
        ).fetchall()
    return {(cid, stage): rest for cid, stage, *rest in rows}


def test_build_passes(designed_build):
    _, result = designed_build
    assert result.success and not result.failed_nodes


def test_friday_evening_two_working_hours(designed_build):
    stages = _stages(designed_build[0], "stage = 'acknowledge'")
    status, unit, value, deadline, elapsed = stages[("FRI_ON_TIME", "acknowledge")]
    assert (unit, value, deadline) == ("working_hours", 2.0, "2026-11-16 10:30:00")
    assert (status, elapsed) == ("met", pytest.approx(2.0))
    status, *_, elapsed = stages[("FRI_LATE", "acknowledge")]
    assert status == "breached" and elapsed == pytest.approx(2.0 + 1 / 3600)


def test_day_before_national_day_two_working_days(designed_build):
    stages = _stages(designed_build[0])
    status, unit, value, deadline, elapsed = stages[("EVE_OF_NATIONAL_DAY", "merchant_evidence")]
    assert (unit, value, deadline) == ("working_days", 2.0, "2026-10-09 10:00:00")
    assert (status, elapsed) == ("met", pytest.approx(18.0))


def test_makeup_saturday_is_a_working_day(designed_build):
    stages = _stages(designed_build[0])
    status, _, _, deadline, elapsed = stages[("MAKEUP_SATURDAY", "acknowledge")]
    assert (status, deadline, elapsed) == ("met", "2026-10-10 10:00:00", pytest.approx(2.0))


def test_holiday_start_waits_for_the_first_working_day(designed_build):
    stages = _stages(designed_build[0])
    status, _, _, deadline, _ = stages[("IN_HOLIDAY", "acknowledge")]
    assert (status, deadline) == ("open_overdue", "2026-10-08 11:00:00")


def test_calendar_hour_targets_ignore_the_calendar(designed_build):
    stages = _stages(designed_build[0])
    status, unit, _, deadline, elapsed = stages[("APP_CALENDAR", "acknowledge")]
    assert (status, unit, deadline, elapsed) == (
        "met",
        "calendar_hours",
        "2026-10-01 12:00:00",
        None,
    )


def test_working_intervals_follow_the_library_for_every_day_of_the_year(designed_build):
    # Fails if any public holiday of the year is a working day here, or any 调休 day is not.
    with read_only(designed_build[0]) as con:
        worked = {
            day
            for (day,) in con.execute(
                "select work_date from intermediate.int_working_intervals "
                "where year(work_date) = 2026"
            ).fetchall()
        }
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(365)]
    holidays = {d for d in days if chinese_calendar.is_holiday(d)}
    assert {date(2026, 10, 1), date(2026, 2, 17)} <= holidays
    assert not worked & holidays
    assert worked == {d for d in days if chinese_calendar.is_workday(d)}
    assert date(2026, 10, 10) in worked  # 调休 Saturday


def test_targets_mart_states_the_unit(designed_build):
    with read_only(designed_build[0]) as con:
        rows = con.execute(
            "select stage, channel, target_value, target_unit, working_calendar, working_hours "
            "from marts.sla_targets where channel in ('hotline', 'web_form') order by all"
        ).fetchall()
    assert ("acknowledge", "hotline", 2.0, "working_hours", "china", "09:00–18:00") in rows
    assert ("merchant_evidence", "web_form", 2.0, "working_days", "china", "09:00–18:00") in rows
    assert ("acknowledge", "web_form", 2.0, "calendar_hours", None, None) in rows


def test_data_beyond_the_library_years_is_a_clear_error(tmp_path):
    last = china_supported_years()[1]
    design = [("NEXT_YEAR", "hotline", f"{last + 1}-01-05 10:00:00", [])]
    database = tmp_path / "w.duckdb"
    with duckdb.connect(str(database)) as con:
        load_working_design(con, design)
    settings = Settings(sla_targets_hours=WORKING_TARGETS)
    with pytest.raises(UserError, match=rf"{last + 1}-01-05.*chinesecalendar.*covers"):
        build_warehouse(database, settings)
    # Calendar-hour targets only: the library's years do not matter, the calendar is written.
    with duckdb.connect(str(database)) as con:
        assert write_calendar(con, Settings()) > 0


@pytest.mark.parametrize(
    ("zone", "configured", "expected"),
    [
        ("Asia/Shanghai", None, "china"),
        ("Asia/Tokyo", None, "weekdays"),
        ("UTC", None, "weekdays"),
        ("Asia/Tokyo", "china", "china"),
        ("Asia/Shanghai", "weekdays", "weekdays"),
    ],
)
def test_china_calendar_only_in_china_or_where_configured(zone, configured, expected):
    settings = Settings(timezone=zone, working_calendar=configured)
    assert settings.working_calendar_name() == expected
    with duckdb.connect() as con:
        write_calendar(con, settings)
        (working,) = con.execute(
            "select is_working_day from calendar.working_days where day = date '2026-10-01'"
        ).fetchone()
    assert working is (expected == "weekdays")  # a Thursday: worked unless China's calendar
