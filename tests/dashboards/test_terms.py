"""The "what buyers write" section: its queries against the text marts, and the pages that show
it (a word in the URL or clicked filters the complaint list)."""

from __future__ import annotations

import dataclasses
import re

from dashboards import data
from dashboards.data import Filters


def _filters(scenario, **more) -> Filters:
    return Filters(scenario.week_from, scenario.week_to, **more)


def _busiest_term(scenario) -> tuple[str, str]:
    """The term mentioned most on one SKU in the period, and that SKU."""
    return scenario.one(
        """select term, sku_id from marts.complaint_terms
           where is_counted and received_week between ? and ?
           group by term, sku_id order by count(*) desc, term, sku_id limit 1""",
        [scenario.week_from, scenario.week_to],
    )


def test_top_terms_are_the_marts_counts_of_the_last_week(scenario):
    source = data.current_source(scenario.warehouse)
    top = data.top_terms.uncached(source, _filters(scenario))
    assert not top.empty and (top["n_complaints"].diff().dropna() <= 0).all()
    term = top["term"].iloc[0]
    (expected,) = scenario.one(
        """select count(distinct complaint_id) from marts.complaint_terms
           where is_counted and term = ? and received_week = ? and category is not null""",
        [term, scenario.week_to],
    )
    assert top["n_complaints"].iloc[0] == expected


def test_a_term_filters_the_complaint_list(scenario):
    source = data.current_source(scenario.warehouse)
    term, sku_id = _busiest_term(scenario)
    rows, total = data.complaints.uncached(source, _filters(scenario), sku_id, term=term)
    (expected,) = scenario.one(
        """select count(*) from marts.complaints c where sku_id = ?
           and received_week between ? and ? and complaint_id in
           (select complaint_id from marts.complaint_terms where term = ?)""",
        [sku_id, scenario.week_from, scenario.week_to, term],
    )
    assert total == expected > 0
    _, all_total = data.complaints.uncached(source, _filters(scenario), sku_id)
    assert all_total >= total
    ids = set(rows["complaint_id"])
    mentioning = {
        row[0]
        for row in scenario.all(
            "select complaint_id from marts.complaint_terms where term = ?", [term]
        )
    }
    assert ids <= mentioning


def test_emerging_terms_and_examples_carry_no_phone(scenario):
    source = data.current_source(scenario.warehouse)
    wide = dataclasses.replace(_filters(scenario), week_from=None)
    emerging = data.emerging_terms.uncached(source, wide)
    (n,) = scenario.one(
        "select count(*) from marts.emerging_terms where received_week <= ?", [scenario.week_to]
    )
    assert len(emerging) == min(n, 50)
    for ids in emerging["complaint_ids"].head(10):
        for text in data.term_examples.uncached(source, tuple(ids.split(", "))):
            assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", text), text


def test_pages_show_the_section_and_a_url_term_filters_the_list(app, scenario):
    term, sku_id = _busiest_term(scenario)
    app.query_params.update({"term": term, "sku": sku_id, "lang": "en"})
    app.switch_page("app_pages/skus.py").run()
    assert not app.exception, [e.value for e in app.exception]
    assert any(s.value == "What buyers write" for s in app.subheader)
    assert app.selectbox(key="skus_sku").value == sku_id
    assert any(f'Only complaints mentioning "{term}"' in c.value for c in app.caption)
    assert app.query_params["term"] == term
    app.switch_page("app_pages/overview.py").run()
    assert not app.exception, [e.value for e in app.exception]
    assert any(s.value == "What buyers write" for s in app.subheader)
