"""The Streamlit app, run headless with AppTest (on the pipeline-built warehouse when the
pipeline is part of the checkout, else on the fixture; see conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboards.i18n import column_label, t
from flows.contract import code_label

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "app.py")
PAGES = [
    "overview",
    "merchants",
    "skus",
    "sla",
    "compliance",
    "recurrence",
    "scorecards",
    "data_quality",
    "sql",
]
COMPLAINTS_ZH, COMPLAINTS_EN = "投诉量（有效）", "Complaints (counted)"


def _metric(at, label):
    values = [m.value for m in at.metric if m.label == label]
    assert values, f"no metric {label!r} among {[m.label for m in at.metric]}"
    return values[0]


def _number(text):
    return float(re.sub(r"[^0-9.\-]", "", text))


def test_every_page_renders(app):
    app.run()
    assert not app.exception
    for page in PAGES:
        app.switch_page(f"app_pages/{page}.py").run()
        assert not app.exception, (page, [e.value for e in app.exception])
        assert app.title, page
        assert any("数据截至" in c.value for c in app.caption), page


def test_overview_shows_the_marts_numbers(app, scenario):
    app.run()
    lines, defects, complaint_lines = scenario.one(
        """select sum(order_lines), sum(defect_lines), sum(complaint_lines)
           from marts.merchant_defect_rates_weekly where order_week between ? and ?""",
        [scenario.week_from, scenario.week_to],
    )
    assert _number(_metric(app, COMPLAINTS_ZH)) == scenario.counted()
    assert _number(_metric(app, "确认缺陷率")) == pytest.approx(100 * defects / lines, abs=0.005)
    assert _number(_metric(app, "投诉率")) == pytest.approx(
        100 * complaint_lines / lines, abs=0.005
    )
    met, measured = scenario.one(
        """select sum(n_met), sum(n_measured) from marts.sla_compliance_weekly
           where stage = 'acknowledge' and received_week between ? and ?""",
        [scenario.week_from, scenario.week_to],
    )
    assert _number(_metric(app, "SLA 达成率：受理确认")) == pytest.approx(
        100 * met / measured, abs=0.05
    )
    (alerts,) = scenario.one(
        "select count(*) from marts.sku_defect_alerts where order_week between ? and ?",
        [scenario.week_from, scenario.week_to],
    )
    assert _number(_metric(app, "异常告警")) == alerts


def test_filters_change_the_numbers_and_the_url(app, scenario):
    app.run()
    everyone = _number(_metric(app, COMPLAINTS_ZH))
    app.selectbox(key="merchant").set_value(scenario.merchant_id).run()
    assert not app.exception
    one_merchant = scenario.counted(merchant_id=scenario.merchant_id)
    assert _number(_metric(app, COMPLAINTS_ZH)) == one_merchant < everyone
    assert app.query_params["merchant"] == scenario.merchant_id
    app.selectbox(key="channel").set_value(scenario.channel).run()
    both = scenario.counted(merchant_id=scenario.merchant_id, channel=scenario.channel)
    assert _number(_metric(app, COMPLAINTS_ZH)) == both < one_merchant
    assert app.query_params["channel"] == scenario.channel


def test_url_opens_the_shared_view(app, scenario):
    app.query_params.update({"lang": "en", "cat": scenario.category, "channel": scenario.channel})
    app.run()
    assert not app.exception
    assert app.selectbox(key="category").value == scenario.category
    expected = scenario.counted(category=scenario.category, channel=scenario.channel)
    assert _number(_metric(app, COMPLAINTS_EN)) == expected


def test_language_switch_changes_every_label(app):
    app.run()
    assert app.title[0].value == "总览"
    chinese = {m.label for m in app.metric}
    app.radio(key="lang").set_value("en").run()
    assert app.title[0].value == "Overview"
    english = {m.label for m in app.metric}
    assert COMPLAINTS_EN in english and not chinese & english
    assert app.query_params["lang"] == "en"
    app.switch_page("app_pages/sla.py").run()
    assert app.title[0].value == "SLA" and not app.exception


def test_sql_console_page_answers_refuses_and_recovers(app, scenario):
    app.run()
    app.switch_page("app_pages/sql.py").run()
    app.text_area(key="sql_text").input("ATTACH '/tmp/x.duckdb'").run()
    app.button(key="sql_run").click().run()
    assert app.error and "SELECT" in app.error[0].value
    app.text_area(key="sql_text").input("select count(*) as n from marts.complaints").run()
    app.button(key="sql_run").click().run()
    assert not app.error and not app.exception
    (expected,) = scenario.one("select count(*) from marts.complaints")
    assert app.dataframe[-1].value["n"].iloc[0] == expected


def test_friendly_page_without_warehouse(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPLAINTS_WAREHOUSE", str(tmp_path / "absent.duckdb"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "尚无数据仓库"
    assert "complaints run" in at.info[0].value


def test_a_render_reads_through_one_connection_and_sees_a_new_publish(
    tmp_path, monkeypatch, scenario
):
    import shutil

    import duckdb
    import streamlit as st

    from dashboards import data
    from flows.warehouse import publishing
    from tests.warehouses import next_build

    old = shutil.copyfile(scenario.warehouse, tmp_path / "old.duckdb")
    new = next_build(scenario.warehouse, tmp_path / "new.duckdb")
    live = tmp_path / "live.duckdb"
    shutil.copyfile(old, live)
    week_from, week_to = scenario.query["from"], scenario.query["to"]

    def defect_rate(path):
        with duckdb.connect(str(path), read_only=True) as con:
            defects, lines = con.execute(
                """select sum(defect_lines), sum(order_lines)
                   from marts.merchant_defect_rates_weekly
                   where order_week between ? and ?""",
                [scenario.week_from, scenario.week_to],
            ).fetchone()
        return 100 * defects / lines

    assert defect_rate(old) != pytest.approx(defect_rate(new), abs=0.005)
    opens = []
    render_open, own_open = data.read_only_connection, data.read_only
    monkeypatch.setattr(
        data, "read_only_connection", lambda *a, **k: opens.append("render") or render_open(*a, **k)
    )
    monkeypatch.setattr(data, "read_only", lambda *a, **k: opens.append("own") or own_open(*a, **k))
    monkeypatch.setenv("COMPLAINTS_WAREHOUSE", str(live))
    st.cache_data.clear()

    def render():
        opens.clear()
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params.update({"from": week_from, "to": week_to})
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    at = render()
    assert opens == ["render"]
    assert _number(_metric(at, "确认缺陷率")) == pytest.approx(defect_rate(old), abs=0.005)
    render()
    assert opens == []  # everything cached: no connection at all
    with publishing(live) as staging:
        shutil.copyfile(new, staging)
    at = render()
    assert opens == ["render"]
    assert _number(_metric(at, "确认缺陷率")) == pytest.approx(defect_rate(new), abs=0.005)


def test_merchant_drill_down_runs_only_the_open_tab(app, scenario):
    app.run()
    app.switch_page("app_pages/merchants.py").run()
    assert not app.exception
    assert [t.label for t in app.tabs] == [
        "SKU",
        "问题",
        "趋势",
        "SLA 记录",
        "整改措施",
        "投诉明细",
    ]
    # The merchants table and the open SKU tab's table; the other sections did not run.
    assert len(app.dataframe) == 2
    assert not any("行" in c.value and "显示" in c.value for c in app.caption)
    chosen = app.selectbox(key="merchants_drill").value
    (n_skus,) = scenario.one(
        """select count(distinct sku_id) from marts.sku_defect_rates_weekly
           where merchant_id = ? and order_week between ? and ?""",
        [chosen, scenario.week_from, scenario.week_to],
    )
    assert len(app.dataframe[1].value) == n_skus > 0

    app.session_state["merchants_drill_tab"] = "投诉明细"  # what a click on the tab does
    app.run()
    assert not app.exception and len(app.dataframe) == 2
    (total,) = scenario.one(
        """select count(*) from marts.complaints
           where merchant_id = ? and received_week between ? and ?""",
        [chosen, scenario.week_from, scenario.week_to],
    )
    captions = [c.value for c in app.caption]
    assert f"显示 {min(total, 500)} / {total} 行" in captions, captions
    assert len(app.dataframe[1].value) == min(total, 500)


def test_drilled_merchant_is_in_the_url_and_a_link_opens_it(app, scenario):
    app.run()
    app.switch_page("app_pages/merchants.py").run()
    first = app.selectbox(key="merchants_drill").value
    # The options read "name (id)": the third merchant's id.
    other = re.search(r"\((\w+)\)$", app.selectbox(key="merchants_drill").options[2])[1]
    app.selectbox(key="merchants_drill").select(other).run()
    drilled = app.selectbox(key="merchants_drill").value
    assert app.query_params["drill"] == drilled == other != first
    # A link with that address, opened in a new session, opens the same merchant.
    link = AppTest.from_file(APP, default_timeout=60)
    link.query_params.update(dict(app.query_params))
    link.run()
    link.switch_page("app_pages/merchants.py").run()
    assert not link.exception
    assert link.selectbox(key="merchants_drill").value == drilled
    assert link.query_params["drill"] == drilled


def test_sla_details_table_runs_when_its_expander_opens(app):
    app.run()
    app.switch_page("app_pages/sla.py").run()
    assert not app.exception
    closed = len(app.dataframe)
    app.session_state["sla_table_open"] = True  # what opening the expander does
    app.run()
    assert not app.exception and len(app.dataframe) == closed + 1
    wanted = {column_label(c, "zh") for c in ("received_week", "channel", "stage", "n_met")}
    details = [d.value for d in app.dataframe if wanted <= set(d.value.columns)]
    assert len(details) == 1 and len(details[0]) > 0


def test_default_period_is_half_a_year_and_says_what_lies_outside(scenario, monkeypatch):
    monkeypatch.setenv("COMPLAINTS_WAREHOUSE", str(scenario.warehouse))
    app = AppTest.from_file(APP, default_timeout=60)  # a link without a period
    app.run()
    assert not app.exception
    weeks = list(app.selectbox(key="week_from").options)
    assert len(weeks) > 26  # the sample spans a year
    assert app.selectbox(key="week_from").value == weeks[-26]
    assert app.selectbox(key="week_to").value == weeks[-1]
    note = f"另有 {len(weeks) - 26} 周数据不在所选区间内（数据范围 {weeks[0]} 至 {weeks[-1]}）"
    assert any(note in c.value for c in app.sidebar.caption), [c.value for c in app.sidebar.caption]
    app.selectbox(key="week_from").set_value(weeks[0]).run()
    assert not any("不在所选区间内" in c.value for c in app.sidebar.caption)


def test_sla_page_states_each_targets_unit(app, scenario):
    app.run()
    app.switch_page("app_pages/sla.py").run()
    assert not app.exception
    units = {
        unit
        for (unit,) in scenario.all("select distinct target_unit from marts.sla_targets")
        if unit
    }
    shown = " ".join(str(v) for d in app.dataframe for v in d.value.to_numpy().ravel())
    labels = {"calendar_hours": "小时", "working_hours": "工作小时", "working_days": "个工作日"}
    assert units and all(labels[unit] in shown for unit in units), (units, shown[:300])
    if units - {"calendar_hours"}:
        assert any("工作日历" in c.value for c in app.caption)


def test_compliance_page_lists_the_below_entitlement_complaints(app, scenario):
    app.run()
    app.switch_page("app_pages/compliance.py").run()
    assert not app.exception
    (total,) = scenario.one(
        """select count(*) from marts.legal_entitlement_checks
           where is_below_entitlement and received_week between ? and ?""",
        [scenario.week_from, scenario.week_to],
    )
    captions = [c.value for c in app.caption]
    if total:
        assert f"显示 {min(total, 500)} / {total} 行" in captions, captions
    # One rule chosen: only its complaints are listed.
    (fake,) = scenario.one(
        """select count(*) from marts.legal_entitlement_checks
           where below_rule = 'counterfeit_compensation' and received_week between ? and ?""",
        [scenario.week_from, scenario.week_to],
    )
    app.selectbox(key="compliance_rule").set_value("counterfeit_compensation").run()
    assert not app.exception
    if fake:
        assert f"显示 {min(fake, 500)} / {fake} 行" in [c.value for c in app.caption]
        rules = {v for d in app.dataframe for c in d.value.columns if c == "未满足的规则"
                 for v in d.value[c]}  # fmt: skip
        assert rules == {"假一赔三"}
    # The per-merchant rates are the mart's counts over the period.
    (n_below,) = scenario.one(
        """select sum(n_below) from marts.legal_compliance_weekly
           where received_week between ? and ?""",
        [scenario.week_from, scenario.week_to],
    )
    merchants = [d.value for d in app.dataframe if "不合规率" in d.value.columns]
    assert len(merchants) == 1 and merchants[0]["低于权益"].sum() == (n_below or 0)


# Every rate of a dashboard table with the count it rests on (written out here, independently of
# flows.formatting.RATE_BASES): below the configured minimum the cell must be empty ("—").
_TABLE_RATES = {
    "defect_rate": "order_lines",
    "defect_rate_ci_low": "order_lines",
    "complaint_rate": "order_lines",
    "compliance_rate": "n_measured",
    "compliance_rate_ci_high": "n_measured",
    "recurrence_rate": "n_closed_in_rate",
    "reopen_rate": "n_counted",
    "below_rate": "n_entitled",
    "before_defect_rate": "before_order_lines",
    "after_defect_rate": "after_order_lines",
}


def _small_rate_cells(app, lang="zh"):
    """(small cells seen, small cells showing a number) over the page's tables."""
    from flows.config import Settings

    minimum = Settings().min_rate_base
    seen = shown = 0
    for frame in (d.value for d in app.dataframe):
        for rate, base in _TABLE_RATES.items():
            rate_label, base_label = column_label(rate, lang), column_label(base, lang)
            if rate_label not in frame.columns:
                continue
            # The count a rate rests on is always in the table beside it.
            assert base_label in frame.columns, (rate_label, list(frame.columns))
            small = frame[base_label].fillna(0).astype(float) < minimum
            seen += int(small.sum())
            shown += int(frame.loc[small, rate_label].notna().sum())
    return seen, shown


def test_no_table_shows_a_rate_from_too_few_cases(app):
    app.run()
    seen_total = 0
    for page in ("merchants", "sla", "recurrence", "compliance"):
        app.switch_page(f"app_pages/{page}.py").run()
        assert not app.exception, page
        seen, shown = _small_rate_cells(app)
        assert shown == 0, page
        seen_total += seen
        if seen:
            assert any("样本少于" in c.value for c in app.caption), page
    # The SLA merchant ranking and the SKU table hold small merchants / SKUs on this sample.
    assert seen_total > 0


def _frame_with(app, column: str):
    """The one table on the page whose headers include ``column`` (a Chinese header)."""
    frames = [d.value for d in app.dataframe if column in d.value.columns]
    assert len(frames) == 1, [list(d.value.columns) for d in app.dataframe]
    return frames[0]


def test_overview_shows_who_bears_the_resolution_cost(app, scenario):
    """The cost table is the mart's refunds and compensation over the period per borne_by, and
    the remedy-mix chart states how many issue type x responsibility cells it shows."""
    app.run()
    assert not app.exception
    expected = dict(
        scenario.all(
            """select borne_by, sum(total_cost) from marts.resolution_cost_weekly
               where received_week between ? and ? group by borne_by""",
            [scenario.week_from, scenario.week_to],
        )
    )
    cost = _frame_with(app, column_label("borne_by", "zh"))
    shown = dict(
        zip(
            cost[column_label("borne_by", "zh")],
            cost[column_label("total_cost", "zh")],
            strict=True,
        )
    )
    assert expected and shown == pytest.approx(
        {code_label("responsibility", k, "zh"): float(v) for k, v in expected.items()}
    )
    (cells,) = scenario.one(
        "select count(*) from (select distinct issue_type, responsibility from marts.remedy_mix)"
    )
    captions = [c.value for c in app.caption]
    assert t("outcomes_remedy_caption", "zh", n=min(cells, 10)) in captions


def test_sla_page_shows_lab_tests_and_information_requests(app, scenario):
    app.run()
    app.switch_page("app_pages/sla.py").run()
    assert not app.exception
    labs = _frame_with(app, column_label("n_lab_tested", "zh")).set_index("一级类目")
    n_complaints, n_tested, median_working = scenario.one(
        """select n_complaints, n_lab_tested, turnaround_working_hours_median
           from marts.lab_test_outcomes where category_l1 = 'all'"""
    )
    assert labs.loc["全部", "投诉量"] == n_complaints
    assert labs.loc["全部", "送检投诉"] == n_tested > 0
    assert labs.loc["全部", "送检率"] == pytest.approx(n_tested / n_complaints)
    assert labs.loc["全部", "周期中位数（工作小时）"] == pytest.approx(median_working, abs=0.05)
    asks = _frame_with(app, column_label("n_never_answered", "zh")).set_index("渠道")
    for channel, label in (("all", t("all", "zh")), ("app", code_label("channel", "app", "zh"))):
        answered, never = scenario.one(
            "select n_answered, n_never_answered from marts.info_request_loops where channel = ?",
            [channel],
        )
        assert (asks.loc[label, "已回复"], asks.loc[label, "从未回复"]) == (answered, never)
    assert asks.loc["全部", "已回复"] > 0
