"""One language at a time on every page: in 中文 no run of Latin letters but the allowed terms
and the data's own names and ids; in English no Chinese outside the data's values. Every page,
every drill-down tab, the SQL console's result and error, in both languages."""

from __future__ import annotations

import json
import re

import pytest

from tests.dashboards.page_text import texts
from tests.dashboards.test_app import PAGES
from tests.language import Checker, data_values, sql_identifiers

DRILL_TABS = 6
# A result, and the errors an analyst meets first: no such table or column, bad syntax, a write.
SQL_CASES = (
    "select * from marts.merchant_grades limit 5",
    "select * from no_such_table",
    "select no_such_column from marts.merchant_grades",
    "selec 1",
    "delete from marts.merchant_grades",
    "select 1; select 2",
)


LANGUAGE_SWITCH = "语言 / Language"  # the one bilingual control: each language by its name


@pytest.fixture(scope="module")
def checker(app_warehouse) -> Checker:
    return Checker(data_values(app_warehouse))


@pytest.fixture(scope="module")
def sql_checker(app_warehouse) -> Checker:
    """On the SQL console, table and column names are the language of the query itself."""
    return Checker(data_values(app_warehouse) | sql_identifiers(app_warehouse), {"SELECT"})


def _stray(at, checker: Checker, lang: str, where: str, *, raw_sql: bool = False) -> list[str]:
    found = []
    for kind, text in texts(at._tree, raw_sql=raw_sql):
        if kind == "radio" and text in (LANGUAGE_SWITCH, "中文", "English"):
            continue
        found += [f"{where} {kind}: {s}" for s in checker.stray(text, lang)]
    return found


def _walk(app, checker: Checker, sql_checker: Checker, lang: str) -> list[str]:
    app.query_params["lang"] = lang
    app.run()
    found: list[str] = []
    for page in PAGES:
        app.switch_page(f"app_pages/{page}.py").run()
        assert not app.exception, (page, [e.value for e in app.exception])
        if page == "sql":
            found += _stray(app, sql_checker, lang, page, raw_sql=True)
        else:
            found += _stray(app, checker, lang, page)
    app.switch_page("app_pages/merchants.py").run()
    for index in range(1, DRILL_TABS):
        app.session_state["merchants_drill_tab"] = app.tabs[index].label
        app.run()
        assert not app.exception
        found += _stray(app, checker, lang, f"merchants tab {index}")
    app.switch_page("app_pages/sql.py").run()
    for sql in SQL_CASES:
        app.text_area(key="sql_text").set_value(sql)
        app.button(key="sql_run").click().run()
        assert not app.exception
        # The query's own words are the analyst's, shown back as typed.
        own = sql_checker.with_values(re.findall(r"\w+", sql))
        found += _stray(app, own, lang, f"sql {sql!r}", raw_sql=True)
    return found


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_speaks_one_language(app, checker, sql_checker, lang):
    found = _walk(app, checker, sql_checker, lang)
    assert not found, f"{len(found)} stray texts in {lang}:\n" + "\n".join(sorted(set(found)))


def test_the_checker_can_fail(checker):
    assert checker.stray("缺陷率 order_lines", "zh")
    assert not checker.stray("SKU 缺陷率 2026-W38 · 2026-09-07 10:00", "zh")
    assert checker.stray("Defect rate 缺陷率", "en")


@pytest.mark.parametrize(
    ("lang", "day", "month"), [("zh", "月%-d日", "%Y年%-m月"), ("en", "%b %-d", "%b %Y")]
)
def test_date_axes_speak_the_language(app, lang, day, month):
    """Every chart drawn over weeks words its ticks in the page's language (11月15日, 2026年11月;
    Nov 15, Nov 2026), whatever the zoom."""
    app.query_params["lang"] = lang
    app.run()
    dated = 0
    for page in ("overview", "skus", "sla", "recurrence"):
        app.switch_page(f"app_pages/{page}.py").run()
        for chart in app.get("plotly_chart"):
            figure = json.loads(chart.proto.spec)
            for trace in figure["data"]:
                xs = trace.get("x")
                if not (
                    isinstance(xs, list)
                    and xs
                    and isinstance(xs[0], str)
                    and re.match(r"\d{4}-\d{2}-\d{2}", xs[0])
                ):
                    continue
                axis = figure["layout"]["xaxis" + trace.get("xaxis", "x")[1:]]
                stops = [stop["value"] for stop in axis["tickformatstops"]]
                assert stops[0].endswith(day) and stops[1] == month, (page, stops)
                dated += 1
    assert dated >= 3
