"""The category workbook opens with openpyxl, has the promised sheets, and holds mart values."""

from __future__ import annotations

import re

import openpyxl
import pytest

from dashboards.i18n import column_label
from flows.scorecard.produce import read_cards, write_all
from flows.scorecard.sheet_names import unique_sheet_names
from flows.scorecard.weeks import IsoWeek
from flows.scorecard.workbook import _KPI_ROWS, OVERVIEW_COLUMNS
from tests.scorecards.conftest import mart_rows
from tests.scorecards.fixture_warehouse import CATEGORIES, PLANTED_PHONE, TARGET_WEEK

WEEK = IsoWeek.parse(TARGET_WEEK)
ILLEGAL = re.compile(r"[\[\]:*?/\\]")


@pytest.fixture
def workbooks(settings, tmp_path):
    cards = read_cards(settings.warehouse, WEEK, settings, "en")
    categories, _ = write_all(cards, tmp_path / "out", settings, "en")
    return {c.category: c.workbook for c in categories}


def _same(cell, mart_value) -> bool:
    """Equal, to the 15 significant digits a spreadsheet number keeps."""
    if isinstance(mart_value, float) and isinstance(cell, float):
        return cell == pytest.approx(mart_value, rel=1e-14, abs=0)
    return cell == mart_value


# The workbook's headers are the reader's words (English here): back to the mart columns.
_KEYS = {column_label(key, "en"): key for key, *_ in OVERVIEW_COLUMNS}
_KEYS.update({column_label(key, "en"): key for key, _kind in _KPI_ROWS})


def _overview(ws):
    """The merchant rows of the overview, keyed by mart column (headers mapped back)."""
    header_row = next(
        row
        for row in ws.iter_rows(min_row=1, max_row=10)
        if row[0].value and row[0].value == column_label("merchant_id", "en")
    )
    keys = [_KEYS.get(str(cell.value), str(cell.value)) for cell in header_row]
    rows = []
    for row in ws.iter_rows(min_row=header_row[0].row + 1, values_only=True):
        if row[0] is None or not str(row[0]).startswith("M"):
            break
        rows.append(dict(zip(keys, row, strict=False)))
    return rows


def test_one_workbook_per_category_with_overview_and_merchant_sheets(workbooks):
    assert set(workbooks) == set(CATEGORIES)
    for category, path in workbooks.items():
        book = openpyxl.load_workbook(path)
        assert book.sheetnames[0] == "Overview"
        merchant_sheets = book.sheetnames[1:]
        assert len(merchant_sheets) == len(CATEGORIES[category])
        for merchant_id, name in zip(sorted(CATEGORIES[category]), merchant_sheets, strict=True):
            assert name.startswith(merchant_id)
        assert len({n.casefold() for n in book.sheetnames}) == len(book.sheetnames)
        assert all(len(n) <= 31 and not ILLEGAL.search(n) for n in book.sheetnames)


def test_overview_holds_the_mart_values_and_conditional_formats(workbooks, settings):
    path = workbooks["家用电器"]
    ws = openpyxl.load_workbook(path)["Overview"]
    rows = {r["merchant_id"]: r for r in _overview(ws)}
    mart = {
        r["merchant_id"]: r
        for r in mart_rows(
            settings.warehouse,
            "select * from marts.merchant_scorecard_weekly where category = ? and iso_week = ?",
            ["家用电器", TARGET_WEEK],
        )
    }
    assert set(rows) == set(mart)
    for merchant_id, row in rows.items():
        for key in (
            "grade",
            "defect_rate",
            "defect_rate_ci_low",
            "category_median_defect_rate",
            "order_lines",
            "n_complaints_received",
            "merchant_evidence_on_time_rate",
        ):
            assert _same(row[key], _shown(mart[merchant_id], key, settings)), (merchant_id, key)
        assert float(row["refund_amount"]) == float(mart[merchant_id]["refund_amount"])
    kinds = {rule.type for cf in ws.conditional_formatting for rule in cf.rules}
    assert {"cellIs", "dataBar", "colorScale"} <= kinds
    grade_rules = [r for cf in ws.conditional_formatting for r in cf.rules if r.type == "cellIs"]
    assert {r.formula[0] for r in grade_rules} == {'"A"', '"B"', '"C"', '"D"'}


def test_merchant_without_orders_has_empty_rates_not_zeros(workbooks):
    book = openpyxl.load_workbook(workbooks["Apparel/Shoes"])
    rows = {r["merchant_id"]: r for r in _overview(book["Overview"])}
    assert rows["M05"]["order_lines"] == 0
    assert rows["M05"]["defect_rate"] is None
    sheet = book[book.sheetnames[2]]
    texts = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "No activity this week" in texts


# The count each rate checked here rests on (written out, not read from flows.formatting).
_BASES = {
    "defect_rate": "order_lines",
    "defect_rate_ci_low": "order_lines",
    "defect_rate_ci_high": "order_lines",
    "merchant_evidence_on_time_rate": "merchant_evidence_n_measured",
}


def _shown(mart, key, settings):
    """The mart value, or None where it rests on fewer cases than the minimum."""
    base = _BASES.get(key)
    if base and (mart[base] or 0) < settings.min_rate_base:
        return None
    return mart[key]


def test_merchant_sheet_kpis_equal_the_mart(workbooks, settings):
    book = openpyxl.load_workbook(workbooks["家用电器"])
    sheet = book[book.sheetnames[1]]
    kpis = {}
    for row in sheet.iter_rows(values_only=True):
        if row and row[0]:  # the KPI block comes first; later tables reuse some words
            kpis.setdefault(_KEYS.get(row[0], row[0]), row[1])
    (mart,) = mart_rows(
        settings.warehouse,
        "select * from marts.merchant_scorecard_weekly where merchant_id = 'M01' and iso_week = ?",
        [TARGET_WEEK],
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
    # M01's evidence stage rests on a handful of complaints: an empty cell, and a note says why.
    assert mart["merchant_evidence_n_measured"] < settings.min_rate_base
    assert kpis["merchant_evidence_on_time_rate"] is None
    assert any(f"fewer than {settings.min_rate_base} cases" in str(k) for k in kpis)
    every_text = " ".join(
        str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c
    )
    assert PLANTED_PHONE not in every_text and "138****5678" in every_text


def test_sheet_names_are_short_legal_and_unique():
    names = unique_sheet_names(
        ["M1 a/b:c*d?e[f]g\\h", "M1 a/b:c*d?e[f]g\\h", "x" * 40, "X" * 40, "Overview", "History"],
        taken={"Overview"},
    )
    assert all(len(n) <= 31 and not ILLEGAL.search(n) for n in names)
    assert len({n.casefold() for n in names} | {"overview"}) == len(names) + 1
    assert names[0] == "M1 a_b_c_d_e_f_g_h" and names[1] == "M1 a_b_c_d_e_f_g_h~2"
    assert names[3].endswith("~2") and names[5] != "History"
