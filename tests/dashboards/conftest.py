"""Shared fixtures: the session's small warehouse and a scenario.

``warehouse`` and ``app_warehouse`` are the small warehouse built once per session by the real
pipeline (``complaints generate --orders 20000`` then ``complaints run``, tests/warehouses.py).
``scenario`` picks, by independent queries of whichever warehouse is used, the period, merchant,
category and channel the tests filter on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "app.py")


@pytest.fixture(scope="session", autouse=True)
def _quiet_streamlit():
    # Calling cached functions outside a running app logs a warning per call; not useful here.
    logging.getLogger("streamlit").setLevel(logging.ERROR)


@pytest.fixture(scope="session")
def app_warehouse(small_warehouse):
    return small_warehouse


@pytest.fixture(scope="session")
def warehouse(small_warehouse):
    """The session's small warehouse (read-only for tests: copy it to modify)."""
    return small_warehouse


@dataclasses.dataclass(frozen=True)
class Scenario:
    """A selection to test with, chosen from the data by independent queries."""

    warehouse: Path
    week_from: dt.date
    week_to: dt.date
    merchant_id: str
    category: str
    channel: str

    @staticmethod
    def iso(week: dt.date) -> str:
        year, number, _ = week.isocalendar()
        return f"{year}-W{number:02d}"

    @property
    def query(self) -> dict[str, str]:
        return {"from": self.iso(self.week_from), "to": self.iso(self.week_to)}

    def one(self, sql: str, params: list[object] | None = None) -> tuple:
        return self.all(sql, params)[0]

    def all(self, sql: str, params: list[object] | None = None) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def counted(self, **where: str) -> int:
        """Counted complaints received in the period, narrowed by column = value pairs."""
        sql = """select count(*) from marts.complaints where status <> 'withdrawn'
                 and received_week between ? and ?"""
        params: list[object] = [self.week_from, self.week_to]
        for column, value in where.items():
            assert column in {"merchant_id", "category", "channel"}
            sql += f" and {column} = ?"
            params.append(value)
        return self.one(sql, params)[0]


def make_scenario(path: Path) -> Scenario:
    """The eleven order weeks before the last four; the busiest merchant; another category."""
    with duckdb.connect(str(path), read_only=True) as con:
        weeks = [
            row[0]
            for row in con.execute(
                "select distinct order_week from marts.merchant_defect_rates_weekly order by 1"
            ).fetchall()
        ]
        week_from, week_to = weeks[-11], weeks[-1]
        merchant_id, merchant_category = con.execute(
            """select merchant_id, any_value(category) from marts.complaints
               where status <> 'withdrawn' and received_week between ? and ?
               group by merchant_id order by count(*) desc, merchant_id limit 1""",
            [week_from, week_to],
        ).fetchone()
        category = con.execute(
            """select category from marts.complaints where category <> ?
               and received_week between ? and ? group by category
               order by count(*) desc limit 1""",
            [merchant_category, week_from, week_to],
        ).fetchone()[0]
        channel = con.execute(
            """select channel from marts.complaints where merchant_id = ?
               and received_week between ? and ? group by channel
               order by count(*) desc, channel limit 1 offset 1""",
            [merchant_id, week_from, week_to],
        ).fetchone()[0]
    return Scenario(path, week_from, week_to, merchant_id, category, channel)


@pytest.fixture(scope="session")
def scenario(app_warehouse) -> Scenario:
    return make_scenario(app_warehouse)


@pytest.fixture
def app(scenario, monkeypatch):
    """The app under AppTest on the scenario's warehouse, opened with the scenario's filters."""
    monkeypatch.setenv("COMPLAINTS_WAREHOUSE", str(scenario.warehouse))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(scenario.query)
    return at
