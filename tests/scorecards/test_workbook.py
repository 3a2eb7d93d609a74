"""The category workbook opens with openpyxl, has the promised sheets, and holds mart values."""

from __future__ import annotations

import dataclasses
import re

import openpyxl
import pytest

from flows.config import Settings
from flows.contract import column_label
from flows.formatting import grade_explanation
from flows.scorecard.layout import OVERVIEW_COLUMNS, overview_header
from flows.scorecard.produce import read_cards, write_all
from flows.scorecard.queries import card_value
from flows.scorecard.sheet_names import unique_sheet_names
from flows.scorecard.weeks import IsoWeek
from flows.scorecard.workbook import _KPI_ROWS
from tests.scorecards.conftest import mart_rows, week_merchants
from tests.scorecards.planted import (
    CATEGORY,
    MASKED_PHONE,
    MERCHANT,
    PLANTED_PHONE,
    TARGET_WEEK,
)

WEEK = IsoWeek.parse(TARGET_WEEK)
ILLEGAL = re.compile(r"[\[\]:*?/\\]")


@pytest.fixture(scope="module")
def workbooks(pipeline_warehouse, tmp_path_factory):
    """The week's workbooks, written once per module (the tests only read them)."""
    settings = dataclasses.replace(Settings(), warehouse=pipeline_warehouse)
    cards = read_cards(settings.warehouse, WEEK, settings, "en")
    categories, _ = write_all(cards, tmp_path_factory.mktemp("books"), settings, "en")
    return {c.category: c.workbook for c in categories}


def _same(cell, mart_value) -> bool:
    """Equal to the mart's value as the cards carry it (CARD_DIGITS significant digits)."""
    return cell == card_value(mart_value)


# Headers are the reader's words (English here): back to the mart columns.
_KEYS = {column_label(key, "en"): key for key, _kind in _KPI_ROWS}
_OVERVIEW_KEYS = {overview_header(key, "en"): key for key, _kind in OVERVIEW_COLUMNS}


def _overview(ws):
    """The merchant rows of the overview, keyed by mart column (headers mapped back)."""
    header_row = next(
        row
        for row in ws.iter_rows(min_row=1, max_row=10)
        if row[0].value and row[0].value == overview_header("merchant_id", "en")
    )
    keys = [_OVERVIEW_KEYS[str(cell.value)] for cell in header_row]
    rows = []
    for row in ws.iter_rows(min_row=header_row[0].row + 1, values_only=True):
        if row[0] is None or not str(row[0]).startswith("M"):
            break
        rows.append(dict(zip(keys, row, strict=False)))
    return rows


def _sheet_of(book, merchant_id: str):
    (name,) = [n for n in book.sheetnames if n.startswith(merchant_id)]
    return book[name]


def test_one_workbook_per_category_with_overview_and_merchant_sheets(workbooks, settings):
    categories = week_merchants(settings.warehouse)
    assert set(workbooks) == set(categories) and len(categories) > 1
    for category, path in workbooks.items():
        book = openpyxl.load_workbook(path)
        assert book.sheetnames[0] == "Overview"
        merchant_sheets = book.sheetnames[1:]
        assert len(merchant_sheets) == len(categories[category])
        for merchant_id, name in zip(categories[category], merchant_sheets, strict=True):
            assert name.startswith(merchant_id)
        assert len({n.casefold() for n in book.sheetnames}) == len(book.sheetnames)
        assert all(len(n) <= 31 and not ILLEGAL.search(n) for n in book.sheetnames)


def test_overview_holds_the_mart_values_and_conditional_formats(workbooks, settings):
    path = workbooks[CATEGORY]
    ws = openpyxl.load_workbook(path)["Overview"]
    rows = {r["merchant_id"]: r for r in _overview(ws)}
    mart = {
        r["merchant_id"]: r
        for r in mart_rows(
            settings.warehouse,
            "select * from marts.merchant_scorecard_weekly where category = ? and iso_week = ?",
            [CATEGORY, TARGET_WEEK],
        )
    }
    assert MERCHANT in mart and any(r["grade"] for r in mart.values())
    assert set(rows) == set(mart)
    for merchant_id, row in rows.items():
        for key in (
            "grade",
            "defect_rate",
            "defect_rate_ci_low",
            "category_median_defect_rate",
            "order_lines",
            "n_complaints_received",
            "merchant_evidence_compliance_rate",
        ):
            assert _same(row[key], _shown(mart[merchant_id], key, settings)), (merchant_id, key)
        assert float(row["refund_amount"]) == float(mart[merchant_id]["refund_amount"])
        assert row["grade_explanation"] == grade_explanation(mart[merchant_id], "en")
    kinds = {rule.type for cf in ws.conditional_formatting for rule in cf.rules}
    assert {"cellIs", "dataBar", "colorScale"} <= kinds
    grade_rules = [r for cf in ws.conditional_formatting for r in cf.rules if r.type == "cellIs"]
    assert {r.formula[0] for r in grade_rules} == {'"A"', '"B"', '"C"', '"D"'}


def test_merchant_without_orders_has_empty_rates_not_zeros(workbooks, settings):
    quiet = mart_rows(
        settings.warehouse,
        "select category, merchant_id from marts.merchant_scorecard_weekly "
        "where iso_week = ? and order_lines = 0 order by merchant_id limit 1",
        [TARGET_WEEK],
    )
    assert quiet, "the sample has a merchant without orders in the target week"
    category, merchant_id = quiet[0]["category"], quiet[0]["merchant_id"]
    book = openpyxl.load_workbook(workbooks[category])
    rows = {r["merchant_id"]: r for r in _overview(book["Overview"])}
    assert rows[merchant_id]["order_lines"] == 0
    assert rows[merchant_id]["defect_rate"] is None
    sheet = _sheet_of(book, merchant_id)
    texts = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "No activity this week" in texts


# The count each rate checked here rests on (written out, not read from flows.formatting).
_BASES = {
    "defect_rate": "order_lines",
    "defect_rate_ci_low": "order_lines",
    "defect_rate_ci_high": "order_lines",
    "merchant_evidence_on_time_rate": "merchant_evidence_n_measured",
    "merchant_evidence_compliance_rate": "merchant_evidence_n_measured",
}


def _shown(mart, key, settings):
    """The mart value, or None where it rests on fewer cases than the minimum."""
    base = _BASES.get(key)
    if base and (mart[base] or 0) < settings.min_rate_base:
        return None
    return mart[key]


def test_merchant_sheet_kpis_equal_the_mart(workbooks, settings):
    book = openpyxl.load_workbook(workbooks[CATEGORY])
    sheet = _sheet_of(book, MERCHANT)
    kpis = {}
    for row in sheet.iter_rows(values_only=True):
        if row and row[0]:  # the KPI block comes first; later tables reuse some words
            kpis.setdefault(_KEYS.get(row[0], row[0]), row[1])
    (mart,) = mart_rows(
        settings.warehouse,
        "select * from marts.merchant_scorecard_weekly where merchant_id = ? and iso_week = ?",
        [MERCHANT, TARGET_WEEK],
    )
    for key in (
        "order_lines",
        "defect_lines",
        "defect_rate",
        "defect_rate_ci_high",
        "defect_rate_percentile",
        "n_recurrences",
        "merchant_evidence_on_time_rate",
    ):
        assert _same(kpis[key], _shown(mart, key, settings)), key
    # A rate on fewer cases than the minimum is an empty cell, and every sheet's note says why.
    if (mart["merchant_evidence_n_measured"] or 0) < settings.min_rate_base:
        assert kpis["merchant_evidence_on_time_rate"] is None
    assert any(f"fewer than {settings.min_rate_base} cases" in str(k) for k in kpis)
    every_text = " ".join(
        str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c
    )
    assert PLANTED_PHONE not in every_text and MASKED_PHONE in every_text


def test_sheet_names_are_short_legal_and_unique():
    names = unique_sheet_names(
        ["M1 a/b:c*d?e[f]g\\h", "M1 a/b:c*d?e[f]g\\h", "x" * 40, "X" * 40, "Overview", "History"],
        taken={"Overview"},
    )
    assert all(len(n) <= 31 and not ILLEGAL.search(n) for n in names)
    assert len({n.casefold() for n in names} | {"overview"}) == len(names) + 1
    assert names[0] == "M1 a_b_c_d_e_f_g_h" and names[1] == "M1 a_b_c_d_e_f_g_h~2"
    assert names[3].endswith("~2") and names[5] != "History"
