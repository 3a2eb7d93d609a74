"""Every accepted timestamp form parses to the right instant, in SQL."""

from __future__ import annotations

import duckdb
import pytest

from flows.landing.timestamps import fixed_offset_seconds, instant_sql, local_to_instant_sql


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    yield con
    con.close()


def _parse(con, text, zone="Asia/Shanghai", formats=()):
    value = con.execute(f"select cast({instant_sql('$1', zone, formats)} as varchar)", [text])
    return value.fetchone()[0]


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-26 10:00:00",
        "2026-11-26T10:00:00+08:00",
        "2026-11-26T02:00:00Z",
        "2026-11-26 03:00:00+01:00",
        "2026/11/26 10:00:00",
        "2026/11/26 10:00",
        " 2026-11-26T10:00:00 ".strip(),
        "46352.4166666667",  # Excel serial day number of 2026-11-26 10:00
    ],
)
def test_forms_of_the_same_instant(con, text):
    assert _parse(con, text) == "2026-11-26 02:00:00+00"


@pytest.mark.parametrize("text", ["2026-02-30 10:00:00", "soon", "26/11/2026", "12345", ""])
def test_unparseable(con, text):
    assert _parse(con, text) is None


def test_daylight_saving_rule(con):
    berlin = "Europe/Berlin"
    assert _parse(con, "2026-10-25 02:30:00", berlin) == "2026-10-25 00:30:00+00"  # earlier
    assert _parse(con, "2026-03-29 02:30:00", berlin) == "2026-03-29 01:30:00+00"  # forward
    assert _parse(con, "2026-07-01 12:00:00", berlin) == "2026-07-01 10:00:00+00"
    assert fixed_offset_seconds("Asia/Shanghai") == 8 * 3600
    assert fixed_offset_seconds(berlin) is None


def test_profile_format(con):
    assert _parse(con, "26.11.2026 10:00", formats=("%d.%m.%Y %H:%M",)) == (
        "2026-11-26 02:00:00+00"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 19 characters, like the canonical form, but with an offset: never read as local time.
        ("2026-1-2 1:00+08:00", "2026-01-01 17:00:00+00"),
        ("2026-11-26T10:00:00", "2026-11-26 02:00:00+00"),
        ("2026/11/26 10:00:00", "2026-11-26 02:00:00+00"),
        ("2026-11-26 10:00:00", "2026-11-26 02:00:00+00"),
        ("2026-13-26 10:00:00", None),
    ],
)
def test_canonical_shortcut_agrees_with_the_general_parse(con, text, expected):
    """Strings of the canonical length take a shortcut; whatever their form, the instant is the
    one the general rules give (checked here with a profile format that changes nothing)."""
    assert _parse(con, text) == expected
    assert _parse(con, text, formats=("%d.%m.%Y %H:%M",)) == expected


@pytest.mark.parametrize(
    "naive",
    ["2026-11-26 10:00:00", "2026-11-26 10:00:00.123456", "0001-01-01 00:00:00", "infinity",
     "-infinity", None],
)  # fmt: skip
def test_fixed_offset_from_epoch_agrees_with_the_cast(con, naive):
    """A fixed-offset zone goes through epoch microseconds; the instant is the cast's."""
    fast = local_to_instant_sql("try_cast($1 as timestamp)", "Asia/Shanghai")
    cast = "cast(try_cast($1 as timestamp) as timestamptz) - to_seconds(28800)"
    got, expected = con.execute(f"select {fast}, {cast}", [naive]).fetchone()
    assert got == expected
