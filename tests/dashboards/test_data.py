"""The data module: numbers equal independent queries of the marts; filters narrow them;
readers stay correct while the warehouse is republished."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import threading
import time

import duckdb
import pytest

from dashboards import data
from flows import console
from flows.serving import serving_path
from flows.warehouse import SAFE_CONFIG, publishing, read_only
from tests.dashboards.fixture_warehouse import build_fixture_warehouse

PERIOD = data.Filters(dt.date(2026, 9, 7), dt.date(2026, 11, 16))


def _one(warehouse, sql, params=()):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchone()


def _all(warehouse, sql, params=()):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def test_previous_period_has_equal_length():
    previous = PERIOD.previous()
    assert previous.n_weeks == PERIOD.n_weeks == 11
    assert previous.week_to == PERIOD.week_from - dt.timedelta(weeks=1)
    assert data.Filters().previous() is None


def test_kpis_equal_the_marts(warehouse):
    source = data.current_source(warehouse)
    kpis = data.overview_kpis.uncached(source, PERIOD)["current"]
    n, refunds = _one(
        warehouse,
        """select count(*), sum(coalesce(refund_amount, 0) + coalesce(compensation_amount, 0))
           from marts.complaints where status <> 'withdrawn'
           and received_week between ? and ?""",
        [PERIOD.week_from, PERIOD.week_to],
    )
    assert kpis["n_complaints"] == n
    assert kpis["refunds_compensation"] == pytest.approx(float(refunds))
    lines, defects = _one(
        warehouse,
        """select sum(order_lines), sum(defect_lines) from marts.sku_defect_rates_weekly
           where order_week between ? and ?""",
        [PERIOD.week_from, PERIOD.week_to],
    )
    assert kpis["defect_rate"] == pytest.approx(defects / lines)
    met, measured = _one(
        warehouse,
        """select count(*) filter (where resolution_status = 'met'),
                  count(*) filter (where resolution_status in ('met', 'breached', 'open_overdue'))
           from marts.complaints where is_counted and received_week between ? and ?""",
        [PERIOD.week_from, PERIOD.week_to],
    )
    assert kpis["sla"]["resolution"] == pytest.approx(met / measured)


@pytest.mark.parametrize("scope", [{}, {"merchant_id": "M001"}, {"channel": "app"}])
def test_recurrence_kpi_equals_the_marts(warehouse, scope):
    source = data.current_source(warehouse)
    filters = dataclasses.replace(PERIOD, **scope)
    kpi = data.overview_kpis.uncached(source, filters)["current"]["recurrence_rate"]
    condition = " and ".join(f"c.{column} = ?" for column in scope) or "true"
    in_rate, recurred = _one(
        warehouse,
        f"""select count(*) filter (where r.is_in_rate),
                  count(*) filter (where r.is_in_rate and r.has_recurred)
           from marts.complaint_recurrence as r
           join marts.complaints as c using (complaint_id)
           where cast(date_trunc('week', timezone('Asia/Shanghai', r.closed_at)) as date)
               between ? and ? and {condition}""",
        [PERIOD.week_from, PERIOD.week_to, *scope.values()],
    )
    assert in_rate > 0
    assert kpi == pytest.approx(recurred / in_rate)


def test_filters_narrow_the_numbers(warehouse):
    source = data.current_source(warehouse)
    everyone = data.overview_kpis.uncached(source, PERIOD)["current"]
    one = data.overview_kpis.uncached(source, dataclasses.replace(PERIOD, merchant_id="M003"))
    one = one["current"]
    expected = _one(
        warehouse,
        """select count(*) from marts.complaints where is_counted and merchant_id = 'M003'
           and received_week between ? and ?""",
        [PERIOD.week_from, PERIOD.week_to],
    )[0]
    assert 0 < one["n_complaints"] == expected < everyone["n_complaints"]
    hotline = data.channel_mix.uncached(source, dataclasses.replace(PERIOD, channel="hotline"))
    assert hotline["channel"].tolist() == ["hotline"]
    category = data.merchant_rates.uncached(
        source, dataclasses.replace(PERIOD, category="家居日用")
    )
    assert set(category["merchant_id"]) == {"M004", "M005"}


def test_empty_selection_gives_missing_rates_not_zero(warehouse):
    source = data.current_source(warehouse)
    before_data = data.Filters(dt.date(2020, 1, 6), dt.date(2020, 3, 30))
    kpis = data.overview_kpis.uncached(source, before_data)["current"]
    assert kpis["n_complaints"] == 0
    assert kpis["defect_rate"] is None and kpis["complaint_rate"] is None
    assert all(rate is None for rate in kpis["sla"].values())
    assert data.weekly_rates.uncached(source, before_data).empty


def test_immature_weeks_are_flagged(warehouse):
    rates = data.weekly_rates.uncached(data.current_source(warehouse), PERIOD)
    flags = dict(zip(rates["order_week"].dt.date, rates["is_mature"], strict=True))
    assert flags[dt.date(2026, 9, 7)] and not flags[dt.date(2026, 11, 16)]


def test_complaints_list_never_holds_the_phone_hash(warehouse):
    rows, total = data.complaints.uncached(data.current_source(warehouse), PERIOD)
    assert "buyer_phone_hash" not in rows.columns and total >= len(rows) > 0
    assert rows["description"].str.contains(r"1\d{10}").sum() == 0


def test_identifiers_come_from_allow_lists(warehouse):
    source = data.current_source(warehouse)
    with pytest.raises(ValueError):
        data.recurrence_rates.uncached(source, PERIOD, "buyer_id; drop table x")
    with pytest.raises(ValueError):
        data.dq_table.uncached(source, "raw.complaints")
    with pytest.raises(ValueError):
        data._where(PERIOD, "ordered_at")


def test_missing_warehouse_is_reported_as_none(tmp_path):
    assert data.current_source(tmp_path / "absent.duckdb") is None


def test_dashboard_and_console_connections_coexist(warehouse):
    source = data.current_source(warehouse)
    with read_only(warehouse, **SAFE_CONFIG), read_only(serving_path(warehouse)):
        assert data.build_info.uncached(source) is not None
        assert console.run_query(serving_path(warehouse), "select 1 as x").error is None


def test_readers_see_old_or_new_state_while_publishing(tmp_path):
    old = build_fixture_warehouse(tmp_path / "old.duckdb", seed=7)
    new = build_fixture_warehouse(tmp_path / "new.duckdb", seed=11)
    live = tmp_path / "live.duckdb"
    shutil.copyfile(old, live)
    expected = [
        data.overview_kpis.uncached(data.current_source(path), PERIOD) for path in (old, new)
    ]
    assert expected[0] != expected[1]
    stop, published, errors = threading.Event(), [], []

    def publisher() -> None:
        try:
            for index in range(12):
                with publishing(live) as staging:
                    shutil.copyfile((new, old)[index % 2], staging)
                published.append(index)
                time.sleep(0.05)  # let readers run against each published state
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            stop.set()

    answers: list[dict] = []

    def reader() -> None:  # two of them, so connections to the live file overlap
        try:
            while not stop.is_set() or len(answers) < 5:
                answers.append(data.overview_kpis.uncached(data.current_source(live), PERIOD))
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=target) for target in (publisher, reader, reader)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(published) == 12
    assert answers and all(answer in expected for answer in answers)


def test_a_render_keeps_reading_the_build_it_opened(tmp_path):
    old = build_fixture_warehouse(tmp_path / "old.duckdb", seed=7)
    new = build_fixture_warehouse(tmp_path / "new.duckdb", seed=11)
    live = tmp_path / "live.duckdb"
    shutil.copyfile(old, live)
    expected_old = data.overview_kpis.uncached(data.current_source(old), PERIOD)
    expected_new = data.overview_kpis.uncached(data.current_source(new), PERIOD)
    assert expected_old != expected_new
    source = data.current_source(live)
    with data.render_reads(source):
        data.build_info.uncached(source)  # opens the render's connection on the old file
        with publishing(live) as staging:
            shutil.copyfile(new, staging)
        assert data.overview_kpis.uncached(source, PERIOD) == expected_old
    assert data.overview_kpis.uncached(data.current_source(live), PERIOD) == expected_new


def test_a_publish_before_the_render_opens_restarts_it(tmp_path):
    live = build_fixture_warehouse(tmp_path / "live.duckdb", seed=7)
    new = build_fixture_warehouse(tmp_path / "new.duckdb", seed=11)
    source = data.current_source(live)
    with publishing(live) as staging:
        shutil.copyfile(new, staging)
    with pytest.raises(data.StaleSource), data.render_reads(source):
        data.build_info.uncached(source)


def test_a_render_of_a_new_build_waits_for_renders_of_the_old_one(tmp_path):
    old = build_fixture_warehouse(tmp_path / "old.duckdb", seed=7)
    new = build_fixture_warehouse(tmp_path / "new.duckdb", seed=11)
    live = tmp_path / "live.duckdb"
    shutil.copyfile(old, live)
    expected_new = data.overview_kpis.uncached(data.current_source(new), PERIOD)
    old_source = data.current_source(live)
    answers, errors = [], []
    with data.render_reads(old_source):
        data.build_info.uncached(old_source)  # an old-build render holds its connection
        with publishing(live) as staging:
            shutil.copyfile(new, staging)
        new_source = data.current_source(live)

        def new_render() -> None:
            try:
                with data.render_reads(new_source):
                    answers.append(data.overview_kpis.uncached(new_source, PERIOD))
            except Exception as exc:  # reported by the assertion below
                errors.append(exc)

        thread = threading.Thread(target=new_render)
        thread.start()
        time.sleep(0.3)
        assert not answers  # still waiting: opening now would read the old build
    thread.join(timeout=10)
    assert not errors and answers == [expected_new]


def test_recurrence_by_single_week_equals_the_marts_at_week_edges(warehouse):
    """The coarse closed_at bound must keep complaints closed near a local week boundary."""
    source = data.current_source(warehouse)
    rows = _all(
        warehouse,
        """select cast(date_trunc('week', timezone('Asia/Shanghai', closed_at)) as date) as week,
                  count(*) filter (where is_in_rate)
           from marts.complaint_recurrence where closed_at is not null group by week""",
    )
    assert len(rows) > 3
    for week, in_rate in rows:
        filters = data.Filters(week, week)
        rates = data.recurrence_rates.uncached(source, filters, "merchant")
        assert int(rates["n_closed_in_rate"].sum()) == in_rate, week
        kpis = data.overview_kpis.uncached(source, filters)["current"]
        assert kpis["recurrence_rate"] == pytest.approx(
            rates["n_recurred"].sum() / in_rate if in_rate else None
        ), week


@pytest.mark.parametrize("limit", [500, 3])
def test_sla_late_counts_every_late_stage_whatever_the_limit(warehouse, limit):
    source = data.current_source(warehouse)
    rows, total = data.sla_late.uncached(source, PERIOD, limit=limit)
    (expected,) = _one(
        warehouse,
        """select sum(
                  (acknowledge_status in ('breached', 'open_overdue'))::int
                  + (merchant_notified_status in ('breached', 'open_overdue'))::int
                  + (merchant_evidence_status in ('breached', 'open_overdue'))::int
                  + (resolution_status in ('breached', 'open_overdue'))::int)
           from marts.complaints where is_counted and received_week between ? and ?""",
        [PERIOD.week_from, PERIOD.week_to],
    )
    assert total == expected > limit
    assert len(rows) == limit
    assert rows["sla_status"].isin(["breached", "open_overdue"]).all()


def test_sla_late_of_an_empty_selection(warehouse):
    source = data.current_source(warehouse)
    rows, total = data.sla_late.uncached(source, dataclasses.replace(PERIOD, channel="none"))
    assert total == 0 and rows.empty
