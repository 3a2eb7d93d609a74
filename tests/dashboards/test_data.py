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
from flows.build.serving import serving_path
from flows.warehouse import SAFE_CONFIG, publishing, read_only
from tests.warehouses import next_build


@pytest.fixture(scope="module")
def period(scenario) -> data.Filters:
    """The scenario's eleven order weeks (the last four immature)."""
    return data.Filters(scenario.week_from, scenario.week_to)


def _one(warehouse, sql, params=()):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchone()


def _all(warehouse, sql, params=()):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def test_previous_period_has_equal_length():
    period = data.Filters(dt.date(2026, 9, 7), dt.date(2026, 11, 16))
    previous = period.previous()
    assert previous.n_weeks == period.n_weeks == 11
    assert previous.week_to == period.week_from - dt.timedelta(weeks=1)
    assert data.Filters().previous() is None


def test_kpis_equal_the_marts(warehouse, period):
    source = data.current_source(warehouse)
    kpis = data.overview_kpis.uncached(source, period)["current"]
    n, refunds = _one(
        warehouse,
        """select count(*), sum(coalesce(refund_amount, 0) + coalesce(compensation_amount, 0))
           from marts.complaints where status <> 'withdrawn'
           and received_week between ? and ?""",
        [period.week_from, period.week_to],
    )
    assert kpis["n_complaints"] == n
    assert kpis["refunds_compensation"] == pytest.approx(float(refunds))
    lines, defects = _one(
        warehouse,
        """select sum(order_lines), sum(defect_lines) from marts.sku_defect_rates_weekly
           where order_week between ? and ?""",
        [period.week_from, period.week_to],
    )
    assert kpis["defect_rate"] == pytest.approx(defects / lines)
    met, measured = _one(
        warehouse,
        """select count(*) filter (where resolution_status = 'met'),
                  count(*) filter (where resolution_status in ('met', 'breached', 'open_overdue'))
           from marts.complaints where is_counted and received_week between ? and ?""",
        [period.week_from, period.week_to],
    )
    assert kpis["sla"]["resolution"] == pytest.approx(met / measured)


@pytest.mark.parametrize("narrowed", [(), ("merchant_id",), ("channel",)])
def test_recurrence_kpi_equals_the_marts(warehouse, narrowed, scenario):
    # Over every week: a closed complaint enters the rate 90 days after closing.
    source = data.current_source(warehouse)
    scope = {column: getattr(scenario, column) for column in narrowed}
    filters = data.Filters(**scope)
    kpi = data.overview_kpis.uncached(source, filters)["current"]["recurrence_rate"]
    condition = " and ".join(f"c.{column} = ?" for column in scope) or "true"
    in_rate, recurred = _one(
        warehouse,
        f"""select count(*) filter (where r.is_in_rate),
                  count(*) filter (where r.is_in_rate and r.has_recurred)
           from marts.complaint_recurrence as r
           join marts.complaints as c using (complaint_id)
           where {condition}""",
        list(scope.values()),
    )
    assert in_rate > 0
    assert kpi == pytest.approx(recurred / in_rate)


def test_filters_narrow_the_numbers(warehouse, period, scenario):
    source = data.current_source(warehouse)
    everyone = data.overview_kpis.uncached(source, period)["current"]
    one = data.overview_kpis.uncached(
        source, dataclasses.replace(period, merchant_id=scenario.merchant_id)
    )
    one = one["current"]
    expected = _one(
        warehouse,
        """select count(*) from marts.complaints where is_counted and merchant_id = ?
           and received_week between ? and ?""",
        [scenario.merchant_id, period.week_from, period.week_to],
    )[0]
    assert 0 < one["n_complaints"] == expected < everyone["n_complaints"]
    hotline = data.channel_mix.uncached(source, dataclasses.replace(period, channel="hotline"))
    assert hotline["channel"].tolist() == ["hotline"]
    category = data.merchant_rates.uncached(
        source, dataclasses.replace(period, category=scenario.category)
    )
    expected = _all(
        warehouse,
        """select distinct merchant_id from marts.merchant_defect_rates_weekly
           where category = ? and order_week between ? and ?""",
        [scenario.category, period.week_from, period.week_to],
    )
    assert set(category["merchant_id"]) == {row[0] for row in expected} != set()


def test_empty_selection_gives_missing_rates_not_zero(warehouse, period):
    source = data.current_source(warehouse)
    before_data = data.Filters(dt.date(2020, 1, 6), dt.date(2020, 3, 30))
    kpis = data.overview_kpis.uncached(source, before_data)["current"]
    assert kpis["n_complaints"] == 0
    assert kpis["defect_rate"] is None and kpis["complaint_rate"] is None
    assert all(rate is None for rate in kpis["sla"].values())
    assert data.weekly_rates.uncached(source, before_data).empty


def test_immature_weeks_are_flagged(warehouse, period):
    rates = data.weekly_rates.uncached(data.current_source(warehouse), period)
    flags = dict(zip(rates["order_week"].dt.date, rates["is_mature"], strict=True))
    assert flags[period.week_from] and not flags[period.week_to]


def test_complaints_list_never_holds_the_phone_hash(warehouse, period):
    rows, total = data.complaints.uncached(data.current_source(warehouse), period)
    assert "buyer_phone_hash" not in rows.columns and total >= len(rows) > 0
    assert rows["description"].str.contains(r"1\d{10}").sum() == 0


def test_identifiers_come_from_allow_lists(warehouse, period):
    source = data.current_source(warehouse)
    with pytest.raises(ValueError):
        data.recurrence_rates.uncached(source, period, "buyer_id; drop table x")
    with pytest.raises(ValueError):
        data.dq_table.uncached(source, "raw.complaints")
    with pytest.raises(ValueError):
        data._where(period, "ordered_at")


def test_missing_warehouse_is_reported_as_none(tmp_path):
    assert data.current_source(tmp_path / "absent.duckdb") is None


def test_dashboard_and_console_connections_coexist(warehouse, period):
    source = data.current_source(warehouse)
    with read_only(warehouse, **SAFE_CONFIG), read_only(serving_path(warehouse)):
        assert data.build_info.uncached(source) is not None
        assert console.run_query(serving_path(warehouse), "select 1 as x").error is None


def test_readers_see_old_or_new_state_while_publishing(tmp_path, warehouse, period):
    old = shutil.copyfile(warehouse, tmp_path / "old.duckdb")
    new = next_build(warehouse, tmp_path / "new.duckdb")
    live = tmp_path / "live.duckdb"
    shutil.copyfile(old, live)
    expected = [
        data.overview_kpis.uncached(data.current_source(path), period) for path in (old, new)
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
                answers.append(data.overview_kpis.uncached(data.current_source(live), period))
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=target) for target in (publisher, reader, reader)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(published) == 12
    assert answers and all(answer in expected for answer in answers)


def test_a_render_keeps_reading_the_build_it_opened(tmp_path, warehouse, period):
    old = shutil.copyfile(warehouse, tmp_path / "old.duckdb")
    new = next_build(warehouse, tmp_path / "new.duckdb")
    live = tmp_path / "live.duckdb"
    shutil.copyfile(old, live)
    expected_old = data.overview_kpis.uncached(data.current_source(old), period)
    expected_new = data.overview_kpis.uncached(data.current_source(new), period)
    assert expected_old != expected_new
    source = data.current_source(live)
    with data.render_reads(source):
        data.build_info.uncached(source)  # opens the render's connection on the old file
        with publishing(live) as staging:
            shutil.copyfile(new, staging)
        assert data.overview_kpis.uncached(source, period) == expected_old
    assert data.overview_kpis.uncached(data.current_source(live), period) == expected_new


def test_a_publish_before_the_render_opens_restarts_it(tmp_path, warehouse, period):
    live = shutil.copyfile(warehouse, tmp_path / "live.duckdb")
    new = next_build(warehouse, tmp_path / "new.duckdb")
    source = data.current_source(live)
    with publishing(live) as staging:
        shutil.copyfile(new, staging)
    with pytest.raises(data.StaleSource), data.render_reads(source):
        data.build_info.uncached(source)


def test_a_render_of_a_new_build_waits_for_renders_of_the_old_one(tmp_path, warehouse, period):
    old = shutil.copyfile(warehouse, tmp_path / "old.duckdb")
    new = next_build(warehouse, tmp_path / "new.duckdb")
    live = tmp_path / "live.duckdb"
    shutil.copyfile(old, live)
    expected_new = data.overview_kpis.uncached(data.current_source(new), period)
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
                    answers.append(data.overview_kpis.uncached(new_source, period))
            except Exception as exc:  # reported by the assertion below
                errors.append(exc)

        thread = threading.Thread(target=new_render)
        thread.start()
        time.sleep(0.3)
        assert not answers  # still waiting: opening now would read the old build
    thread.join(timeout=10)
    assert not errors and answers == [expected_new]


def test_recurrence_by_single_week_equals_the_marts_at_week_edges(warehouse, period):
    """The mart's closed_week is the local week of closed_at, also at the week's edges."""
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


@pytest.mark.parametrize("limit", [100_000, 3])
def test_sla_late_counts_every_late_stage_whatever_the_limit(warehouse, limit, period):
    source = data.current_source(warehouse)
    rows, total = data.sla_late.uncached(source, period, limit=limit)
    (expected,) = _one(
        warehouse,
        """select sum(
                  (acknowledge_status in ('breached', 'open_overdue'))::int
                  + (merchant_notified_status in ('breached', 'open_overdue'))::int
                  + (merchant_evidence_status in ('breached', 'open_overdue'))::int
                  + (resolution_status in ('breached', 'open_overdue'))::int)
           from marts.complaints where is_counted and received_week between ? and ?""",
        [period.week_from, period.week_to],
    )
    assert total == expected > 3
    assert len(rows) == min(limit, total)
    assert rows["sla_status"].isin(["breached", "open_overdue"]).all()


def test_sla_late_of_an_empty_selection(warehouse, period):
    source = data.current_source(warehouse)
    rows, total = data.sla_late.uncached(source, dataclasses.replace(period, channel="none"))
    assert total == 0 and rows.empty


def test_wilson_bounds_are_the_marts_definition_clamped(warehouse, period):
    """The dashboard's intervals are the persisted dbt macros: equal to the marts' own columns,
    never below 0 (k = 0 gave -9e-17, shown as "−0 %", from an unclamped copy) or above 1."""
    source = data.current_source(warehouse)
    (worst,) = _one(
        warehouse,
        """select max(abs(marts.wilson_low(defect_lines, order_lines) - defect_rate_ci_low)
                    + abs(marts.wilson_high(defect_lines, order_lines) - defect_rate_ci_high))
           from marts.sku_defect_rates_weekly""",
    )
    assert worst == 0
    rates = data.merchant_rates.uncached(source, period)
    stages = data.sla_by_stage.uncached(source, period)
    groups = data.recurrence_rates.uncached(source, data.Filters(), "sku")
    lows = [rates["defect_rate_ci_low"], stages["compliance_rate_ci_low"]]
    lows.append(groups["recurrence_rate_ci_low"])
    assert all((low.dropna() >= 0).all() for low in lows)
    none_recurred = (groups["n_recurred"] == 0) & (groups["n_closed_in_rate"] > 0)
    assert none_recurred.any()
    at_zero = groups.loc[none_recurred, "recurrence_rate_ci_low"]
    assert ((at_zero >= 0) & (at_zero < 1e-15)).all()  # 0 up to rounding, never "−0 %"
    highs = [rates["defect_rate_ci_high"], stages["compliance_rate_ci_high"]]
    assert all((high.dropna() <= 1).all() for high in highs)


def test_funnel_limits_flag_the_merchants_above_the_platform_rate(warehouse, period):
    import math
    from statistics import NormalDist

    funnel = data.merchant_funnel.uncached(data.current_source(warehouse), period)
    merchants, limits = funnel["merchants"], funnel["limits"]
    rate = funnel["defect_lines"] / funnel["order_lines"]
    assert funnel["platform_rate"] == pytest.approx(rate)
    assert len(limits) == data.FUNNEL_POINTS and (merchants["order_lines"] > 0).all()
    for level, column in ((0.975, "is_above_warning"), (0.999, "is_above_control")):
        z = NormalDist().inv_cdf(level)
        upper = [
            min(1, rate + z * math.sqrt(rate * (1 - rate) / n)) for n in merchants["order_lines"]
        ]
        # Only merchants at the minimum volume are flagged (small ones are drawn grey).
        assert merchants[column].tolist() == [
            bool(big) and r > u
            for big, r, u in zip(
                merchants["has_min_volume"], merchants["defect_rate"], upper, strict=True
            )
        ]
        side = column.removeprefix("is_above_") + "_high"
        first = limits.iloc[0]
        expected = rate + z * math.sqrt(rate * (1 - rate) / first["order_lines"])
        assert first[side] == pytest.approx(min(1, expected))
    assert limits["order_lines"].iloc[0] == pytest.approx(
        max(1, merchants["order_lines"].min() * 0.8)
    )


def test_sla_weeks_are_provisional_while_a_stage_is_pending(warehouse, period):
    weekly = data.sla_weekly.uncached(data.current_source(warehouse), period, "week_stage")
    expected = {
        (week, stage): pending
        for week, stage, pending in _all(
            warehouse,
            """select received_week, stage, count(*) filter (where status in
                   ('open_not_due', 'not_started'))
               from (
                   select received_week, unnest(['acknowledge', 'merchant_notified',
                       'merchant_evidence', 'resolution']) as stage,
                       unnest([acknowledge_status, merchant_notified_status,
                       merchant_evidence_status, resolution_status]) as status
                   from marts.complaints where is_counted and received_week between ? and ?
               ) group by all""",
            [period.week_from, period.week_to],
        )
    }
    shown = {
        (row.received_week.date(), row.stage): (row.n_pending, row.is_provisional)
        for row in weekly.itertuples()
    }
    assert shown.keys() == expected.keys()
    assert all(shown[key] == (n, n > 0) for key, n in expected.items())
    assert any(n > 0 for n in expected.values()) and any(n == 0 for n in expected.values())


def test_backlog_counts_the_open_complaints_by_age(warehouse, period):
    backlog = data.backlog_ageing.uncached(data.current_source(warehouse), period)
    rows = _all(
        warehouse,
        """select epoch(b.as_of - c.received_at) / 86400 from marts.complaints as c
           cross join marts.build_info as b
           where c.is_counted and c.status in ('open', 'investigating', 'awaiting_merchant')
               and c.received_week between ? and ?""",
        [period.week_from, period.week_to],
    )
    edges = [1, 3, 7, 14, 30]
    expected: dict[str, int] = {}
    for (age,) in rows:
        bucket = data.AGE_BUCKETS[sum(age >= edge for edge in edges)]
        expected[bucket] = expected.get(bucket, 0) + 1
    assert dict(zip(backlog["age_bucket"], backlog["n_complaints"], strict=True)) == expected
    assert sum(expected.values()) > 0


def test_sku_table_ranks_only_skus_at_the_minimum_volume_on_the_mature_window(warehouse, period):
    source = data.current_source(warehouse)
    skus = data.sku_rates.uncached(source, period)
    minimum = data.min_volume_order_lines()
    assert len(skus) > 0
    # Ranked exactly when the SKU's latest mature window reaches the minimum volume (on this
    # small sample few or none do; the long-tail fixture of tests/models checks the ranks).
    big = skus["ranked_order_lines"].fillna(0) >= minimum
    assert (skus["category_rank"].notna() == big).all()
    assert (skus.loc[big, "rank_status"] == "ranked").all()
    assert (skus.loc[~big, "rank_status"] == "insufficient_volume").all()
    # Ranked SKUs first, worst shrunk rate first; the ranks are those of the latest mature window.
    assert big.tolist() == sorted(big.tolist(), reverse=True)
    ranked = skus[big]
    assert ranked["shrunk_defect_rate"].is_monotonic_decreasing
    expected = dict(
        _all(
            warehouse,
            "select sku_id, category_rank from marts.sku_rankings "
            "where is_latest_window and category_rank is not null",
        )
    )
    got = dict(zip(ranked["sku_id"], ranked["category_rank"].astype(int), strict=True))
    assert got == {s: expected[s] for s in ranked["sku_id"]}
    # Every SKU with order lines in that window carries them (its n), ranked or not.
    windows = dict(
        _all(warehouse, "select sku_id, order_lines from marts.sku_rankings where is_latest_window")
    )
    with_window = skus[skus["sku_id"].isin(windows)]
    assert len(with_window) > 0
    assert (with_window["ranked_order_lines"] == with_window["sku_id"].map(windows)).all()
