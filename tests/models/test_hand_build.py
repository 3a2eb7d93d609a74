"""The marts on a handful of hand-made rows: contract rules checked end to end."""

from __future__ import annotations

import math

import pytest
from scipy.stats import binomtest, norm

from flows.warehouse import read_only
from tests.unit_test_yaml import declared_unit_tests


@pytest.fixture(scope="module")
def marts(hand_build):
    live, _ = hand_build

    def query(sql: str, params: list | None = None):
        with read_only(live) as con:
            return con.execute(sql, params or []).fetchall()

    return query


def test_build_ran_every_model_and_test(hand_build):
    _, result = hand_build
    kinds = {node.resource_type for node in result.nodes}
    assert result.success and not result.failed_nodes
    assert {"model", "test", "unit_test"} <= kinds
    # Every unit test of the project ran (the build was asked for them).
    ran = {node.name for node in result.nodes if node.resource_type == "unit_test"}
    assert ran == {test["name"] for _, test in declared_unit_tests()}


def test_the_dbt_log_file_keeps_node_lines_without_every_statement(hand_build, dbt_dirs):
    # Settings.build_log_level is "info" by default: the nodes and errors, not each SQL
    # statement (the "debug" level's bulk, and most of its cost).
    assert hand_build[1].success  # the build that wrote the log
    lines = (dbt_dirs["log_path"] / "dbt.log").read_text(encoding="utf-8").splitlines()
    assert any("[info ]" in line for line in lines)
    assert not any("[debug]" in line for line in lines)


def test_as_of_defaults_to_latest_update_or_event(marts):
    # Latest complaint update is 2026-01-20 10:00 +08; the orphan event at 2026-01-21 09:00 is
    # later and is "loaded", so it defines the export moment.
    ((as_of,),) = marts(
        "select strftime(as_of at time zone 'UTC', '%Y-%m-%d %H:%M') from marts.build_info"
    )
    assert as_of == "2026-01-21 01:00"


def test_iso_weeks_across_the_year_boundary(marts):
    rows = marts(
        "select order_week::varchar, iso_week, order_lines from marts.merchant_defect_rates_weekly "
        "where merchant_id = 'M1' order by order_week"
    )
    assert rows == [("2025-12-22", "2025-W52", 12), ("2025-12-29", "2026-W01", 12)]


def test_counted_defect_withdrawn_and_orphan(marts):
    rows = dict(
        (cid, (counted, defect, orphan, merchant))
        for cid, counted, defect, orphan, merchant in marts(
            "select complaint_id, is_counted, is_confirmed_defect, is_orphan_order, merchant_id "
            "from marts.complaints"
        )
    )
    assert rows["C1"] == (True, True, False, "M1")  # merchant taken from the SKU
    assert rows["C3"][:2] == (False, False)  # withdrawn
    assert rows["C4"][2] is True  # orphan order line
    # Rates: W52 has C1 (defect), W01 has C2 (defect) and the withdrawn C3 (not counted).
    weekly = marts(
        "select iso_week, complaint_lines, defect_lines from marts.merchant_defect_rates_weekly "
        "where merchant_id = 'M1' order by order_week"
    )
    assert weekly == [("2025-W52", 1, 1), ("2026-W01", 1, 1)]
    orphans = marts("select entity, key, orphan_kind from marts.dq_orphans order by all")
    assert ("complaints", "C4", "order_line_missing") in orphans
    assert any(entity == "complaint_events" and key.startswith("CX/") for entity, key, _ in orphans)


def test_wilson_bounds_match_scipy(marts):
    rows = marts(
        "select defect_lines, order_lines, defect_rate_ci_low, defect_rate_ci_high "
        "from marts.sku_defect_rates_weekly"
    )
    assert rows
    for k, n, low, high in rows:
        ref = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
        assert low == pytest.approx(ref.low, abs=1e-12)
        assert high == pytest.approx(ref.high, abs=1e-12)


def test_sla_boundaries_and_reopens(marts):
    rows = {
        cid: rest
        for cid, *rest in marts(
            "select complaint_id, acknowledge_status, merchant_notified_status, "
            "merchant_notified_overdue_hours, resolution_status, reopen_count, "
            "strftime(resolved_at at time zone 'Asia/Shanghai', '%m-%d %H:%M') "
            "from marts.complaints"
        )
    }
    assert rows["C1"][:3] == ["met", "breached", pytest.approx(1 / 3600)]
    assert rows["C3"][0] is None  # withdrawn: not measured
    # Resolution = the first closed after the last reopen, 12 days after received: breached.
    assert rows["C5"][3:] == ["breached", 2, "01-20 09:00"]
    sla = marts(
        "select sum(n_met), sum(n_measured) from marts.sla_compliance_weekly "
        "where stage = 'acknowledge'"
    )
    # Counted complaints C1, C2, C4, C5: C1, C2, C5 acknowledged in time; C4 never, open and
    # overdue at as_of.
    assert sla == [(3, 4)]


def test_recurrence(marts):
    rows = marts(
        "select complaint_id, has_recurred, recurred_by_complaint_id, is_mature "
        "from marts.complaint_recurrence order by complaint_id"
    )
    assert rows == [("C1", True, "C2", False), ("C5", False, None, False)]


def test_two_sided_p_value_matches_scipy():
    import duckdb

    from flows.build.run import PROJECT_DIR

    macro = (PROJECT_DIR / "macros" / "normal_tail.sql").read_text()
    assert "normal_upper_tail" in macro
    # The same rational approximation evaluated by DuckDB over a grid of z values.
    import jinja2

    env = jinja2.Environment()
    module = env.from_string(macro).module
    with duckdb.connect() as con:
        for z in [0.0, 0.5, 1.0, 1.959963984540054, 2.5, 3.0, 5.0, 7.5, 10.0, 40.0]:
            expr = module.two_sided_p_value(str(z))
            (value,) = con.execute(f"select {expr}").fetchone()
            assert value == pytest.approx(2 * norm.sf(z), abs=1e-12, rel=1e-9)
    assert math.isfinite(value)


def test_stage_never_recorded_on_a_channel_is_not_observed(marts):
    # The hotline's only complaint (C2) is acknowledged and remedied but never shows
    # merchant_notified nor merchant_evidence_submitted: those stages are not recorded there,
    # so C2 is not_observed on them (not breached), and the data-quality mart warns.
    c2 = marts(
        "select acknowledge_status, merchant_notified_status, merchant_evidence_status "
        "from marts.complaints where complaint_id = 'C2'"
    )
    assert c2 == [("met", "not_observed", "not_observed")]
    # The app channel records merchant_notified (C1): C4, open and never notified, is overdue.
    c4 = marts("select merchant_notified_status from marts.complaints where complaint_id = 'C4'")
    assert c4 == [("open_overdue",)]
    warnings = marts(
        "select channel, stage from marts.dq_sla_stage_observation where is_warning order by all"
    )
    assert ("hotline", "merchant_evidence") in warnings
    assert ("hotline", "merchant_notified") in warnings
    assert not any(channel == "app" for channel, _ in warnings)
    counts = marts(
        "select sum(n_not_observed) from marts.sla_compliance_weekly "
        "where channel = 'hotline' and stage = 'merchant_notified'"
    )
    assert counts == [(1,)]


# Hand-computed with scipy from the contract's formulas: (k1, n1, k2, n2) -> power to detect a
# halving of the before rate, and the 95 % interval of the relative change (log risk ratio).
HAND_POWER_CASES = [
    ((30, 1000, 10, 1000), 0.618704048455, (-0.836166085849, -0.321806405670)),
    ((10, 1000, 30, 1000), 0.253223603862, (0.474505227358, 5.103742348969)),
    ((100, 10000, 98, 10000), 0.983774591197, (-0.257261876371, 0.293053324512)),
    ((40, 2000, 53, 2640), 0.800105707814, None),
    ((40, 2000, 53, 2630), 0.799383300353, None),
    ((9, 300, 3, 300), 0.235107952555, (-0.908865432183, 0.219198310511)),
    ((4, 300, 0, 300), 0.127144410512, (-0.993991501977, 1.054703016494)),
]


def _macro_module():
    import jinja2

    from flows.build.run import PROJECT_DIR

    text = "".join(
        (PROJECT_DIR / "macros" / name).read_text()
        for name in ("wilson_interval.sql", "normal_tail.sql")
    )
    return jinja2.Environment().from_string(text).module


@pytest.mark.parametrize(("counts", "power", "interval"), HAND_POWER_CASES)
def test_power_and_relative_change_interval_match_hand_values(counts, power, interval):
    import duckdb

    module = _macro_module()
    k1, n1, k2, n2 = counts
    with duckdb.connect() as con:
        (value,) = con.execute(f"select {module.halving_power(f'{k1}/{n1}', n1, n2)}").fetchone()
        assert value == pytest.approx(power, abs=1e-11)
        if interval:
            low, high = con.execute(
                f"select {module.relative_change_bound(k1, n1, k2, n2, -1)}, "
                f"{module.relative_change_bound(k1, n1, k2, n2, 1)}"
            ).fetchone()
            assert (low, high) == pytest.approx(interval, abs=1e-11)


def test_power_and_interval_are_null_without_before_defects():
    import duckdb

    module = _macro_module()
    with duckdb.connect() as con:
        row = con.execute(
            f"select {module.halving_power('0.0', 1000, 1000)}, "
            f"{module.relative_change_bound(0, 1000, 5, 1000, -1)}"
        ).fetchone()
    assert row == (None, None)
