"""The Streamlit app, run headless with AppTest on the fixture warehouse."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "app.py")
PAGES = ["overview", "merchants", "skus", "sla", "recurrence", "scorecards", "data_quality", "sql"]
FROM, TO = "2026-W37", "2026-W47"  # Monday 2026-09-07 .. Monday 2026-11-16


@pytest.fixture
def app(warehouse, monkeypatch):
    monkeypatch.setenv("COMPLAINTS_WAREHOUSE", str(warehouse))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"from": FROM, "to": TO})
    return at


def _metric(at, label):
    values = [m.value for m in at.metric if m.label == label]
    assert values, f"no metric {label!r} among {[m.label for m in at.metric]}"
    return values[0]


def _number(text):
    return float(re.sub(r"[^0-9.\-]", "", text))


def _query(warehouse, sql, params=()):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchone()


def test_every_page_renders(app):
    app.run()
    assert not app.exception
    for page in PAGES:
        app.switch_page(f"app_pages/{page}.py").run()
        assert not app.exception, (page, [e.value for e in app.exception])
        assert app.title, page
        assert any("数据截至" in c.value for c in app.caption), page


def test_overview_shows_the_marts_numbers(app, warehouse):
    app.run()
    (n,) = _query(
        warehouse,
        """select count(*) from marts.complaints where status <> 'withdrawn'
           and received_week between date '2026-09-07' and date '2026-11-16'""",
    )
    lines, defects = _query(
        warehouse,
        """select sum(order_lines), sum(defect_lines) from marts.merchant_defect_rates_weekly
           where order_week between date '2026-09-07' and date '2026-11-16'""",
    )
    assert _number(_metric(app, "投诉量（有效）")) == n
    assert _number(_metric(app, "确认缺陷率")) == pytest.approx(100 * defects / lines, abs=0.005)
    (alerts,) = _query(
        warehouse,
        """select count(*) from marts.sku_defect_alerts
           where order_week between date '2026-09-07' and date '2026-11-16'""",
    )
    assert _number(_metric(app, "异常告警")) == alerts > 0


def test_filters_change_the_numbers_and_the_url(app, warehouse):
    app.run()
    everyone = _number(_metric(app, "投诉量（有效）"))
    app.selectbox(key="merchant").set_value("M003").run()
    assert not app.exception
    (n,) = _query(
        warehouse,
        """select count(*) from marts.complaints where status <> 'withdrawn'
           and merchant_id = 'M003'
           and received_week between date '2026-09-07' and date '2026-11-16'""",
    )
    assert _number(_metric(app, "投诉量（有效）")) == n < everyone
    assert app.query_params["merchant"] == "M003"
    app.selectbox(key="channel").set_value("hotline").run()
    (n_hotline,) = _query(
        warehouse,
        """select count(*) from marts.complaints where status <> 'withdrawn'
           and merchant_id = 'M003' and channel = 'hotline'
           and received_week between date '2026-09-07' and date '2026-11-16'""",
    )
    assert _number(_metric(app, "投诉量（有效）")) == n_hotline < n


def test_url_opens_the_shared_view(app, warehouse):
    app.query_params.update({"lang": "en", "cat": "家居日用", "channel": "app"})
    app.run()
    assert not app.exception
    assert app.selectbox(key="category").value == "家居日用"
    (n,) = _query(
        warehouse,
        """select count(*) from marts.complaints where status <> 'withdrawn'
           and category = '家居日用' and channel = 'app'
           and received_week between date '2026-09-07' and date '2026-11-16'""",
    )
    assert _number(_metric(app, "Complaints (counted)")) == n


def test_language_switch_changes_every_label(app):
    app.run()
    assert app.title[0].value == "总览"
    chinese = {m.label for m in app.metric}
    app.radio(key="lang").set_value("en").run()
    assert app.title[0].value == "Overview"
    english = {m.label for m in app.metric}
    assert "Complaints (counted)" in english and not chinese & english
    assert app.query_params["lang"] == "en"
    app.switch_page("app_pages/sla.py").run()
    assert app.title[0].value == "SLA" and not app.exception


def test_sql_console_page_answers_refuses_and_recovers(app):
    app.run()
    app.switch_page("app_pages/sql.py").run()
    app.text_area(key="sql_text").input("ATTACH '/tmp/x.duckdb'").run()
    app.button(key="sql_run").click().run()
    assert app.error and "SELECT" in app.error[0].value
    app.text_area(key="sql_text").input("select count(*) as n from marts.complaints").run()
    app.button(key="sql_run").click().run()
    assert not app.error and not app.exception
    assert app.dataframe[-1].value["n"].iloc[0] > 0


def test_friendly_page_without_warehouse(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPLAINTS_WAREHOUSE", str(tmp_path / "absent.duckdb"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "尚无数据仓库"
    assert "complaints run" in at.info[0].value
