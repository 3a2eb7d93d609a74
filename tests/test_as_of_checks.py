"""A build refuses a reference time it cannot give meaningful numbers for, in one sentence."""

from __future__ import annotations

import duckdb
import pytest

from flows.build.as_of import check_as_of, loaded_span, parse_as_of
from flows.errors import UserError

TZ = "Asia/Shanghai"


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("set timezone = 'UTC'")
    con.execute("create schema raw")
    con.execute("create table raw.orders (ordered_at timestamptz)")
    con.execute("create table raw.complaints (received_at timestamptz, updated_at timestamptz)")
    con.execute("create table raw.complaint_events (occurred_at timestamptz)")
    yield con
    con.close()


def _load(con) -> None:
    con.execute("insert into raw.orders values ('2026-03-01 00:00+00')")
    con.execute("insert into raw.complaints values ('2026-03-05 00:00+00', '2026-11-20 00:00+00')")
    con.execute("insert into raw.complaint_events values ('2026-11-26 10:00+00')")


def test_span_covers_orders_complaints_and_events(con):
    _load(con)
    span = loaded_span(con)
    assert span.earliest.isoformat().startswith("2026-03-01")
    assert span.latest.isoformat().startswith("2026-11-26T10:00")


def test_only_masters_loaded_names_the_missing_reference_time(con):
    with pytest.raises(UserError, match="no complaints or complaint events are loaded"):
        check_as_of(None, loaded_span(con), 7, force=False)


def test_no_raw_tables_at_all_is_the_same_sentence():
    with duckdb.connect() as empty, pytest.raises(UserError, match="no reference time"):
        check_as_of(None, loaded_span(empty), 7, force=False)


@pytest.mark.parametrize("text", ["2020-01-01", "2030-01-01", "2026-12-04 10:00:01"])
def test_as_of_outside_the_data_is_refused_unless_forced(con, text):
    _load(con)
    instant = parse_as_of(text, TZ)
    with pytest.raises(UserError, match=r"lies outside the loaded data.*--force"):
        check_as_of(instant, loaded_span(con), 7, force=False)
    check_as_of(instant, loaded_span(con), 7, force=True)


@pytest.mark.parametrize("text", ["2026-03-01 08:00", "2026-06-01", "2026-12-03 18:00"])
def test_as_of_inside_the_data_or_shortly_after_is_accepted(con, text):
    _load(con)
    check_as_of(parse_as_of(text, TZ), loaded_span(con), 7, force=False)
