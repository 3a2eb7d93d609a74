"""The scorecard page's download files, built on demand: the shown table row for row (CSV), and
the workbook mailed to the category's team (XLSX), from the one layout."""

from __future__ import annotations

import io

import duckdb
import openpyxl
import pandas as pd
import pytest

from dashboards import data, scorecard_downloads
from dashboards.i18n import column_label
from flows.config import load_settings
from flows.scorecard.layout import OVERVIEW_COLUMNS, overview_header
from flows.scorecard.produce import read_cards, write_category
from flows.scorecard.weeks import IsoWeek


@pytest.fixture
def card(warehouse):
    source = data.current_source(warehouse)
    weeks = data.scorecard_weeks.uncached(source, data.Filters())
    frame = data.scorecard.uncached(source, data.Filters(), weeks[0])
    assert not frame.empty
    shown = [c for c in scorecard_downloads.COLUMNS if c in frame.columns]
    return frame, shown, weeks[0]


def _marts_merchants(warehouse, week: str) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select merchant_id from marts.merchant_scorecard_weekly where iso_week = ?", [week]
        ).fetchall()
    return sorted(row[0] for row in rows)


def test_nothing_is_built_until_a_download_starts(card, monkeypatch):
    frame, shown, _week = card
    built = []
    monkeypatch.setattr(scorecard_downloads, "csv_bytes", lambda e: built.append("csv") or b"c")
    workbook = lambda: built.append("xlsx") or b"x"  # noqa: E731
    csv_file, xlsx_file = scorecard_downloads.deferred(frame, shown, "zh", workbook)
    assert built == []
    assert xlsx_file() == b"x" and built == ["xlsx"]
    assert csv_file() == b"c" and built == ["xlsx", "csv"]


def test_csv_holds_the_week_with_the_workbooks_headers(card, warehouse):
    frame, shown, week = card
    csv_file, _ = scorecard_downloads.deferred(frame, shown, "zh", lambda: b"")
    content = csv_file()
    assert content.startswith(b"\xef\xbb\xbf")  # Excel needs the mark for UTF-8
    back = pd.read_csv(io.BytesIO(content), encoding="utf-8-sig", dtype=str)
    assert list(back.columns) == [column_label(c, "zh") for c in shown]
    # The workbook overview's columns, in its order, with its header words.
    overview = [c for c, kind in OVERVIEW_COLUMNS if kind != "link"]
    assert shown == [c for c in overview if c in frame.columns]
    assert [overview_header(c, "zh").split("\n")[0] for c in shown] == list(back.columns)
    merchant = column_label("merchant_id", "zh")
    assert sorted(back[merchant]) == _marts_merchants(warehouse, week)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_xlsx_download_is_the_mailed_workbook(card, warehouse, tmp_path, lang):
    """The dashboard offers exactly what is mailed: same sheets, same cells."""
    _frame, _shown, week = card
    settings = load_settings()
    cards = read_cards(warehouse, IsoWeek.parse(week), settings, lang)
    category = cards.categories[0]
    mailed = write_category(cards, category, tmp_path / "mailed", settings, lang).workbook
    offered = tmp_path / "offered.xlsx"
    offered.write_bytes(
        scorecard_downloads.mailed_workbook(warehouse, week, category.category, lang)()
    )
    mailed_book, offered_book = openpyxl.load_workbook(mailed), openpyxl.load_workbook(offered)
    assert offered_book.sheetnames == mailed_book.sheetnames
    assert len(offered_book.sheetnames) == 1 + len(category.merchants)
    for name in mailed_book.sheetnames:
        cells = [list(r) for r in mailed_book[name].iter_rows(values_only=True)]
        assert [list(r) for r in offered_book[name].iter_rows(values_only=True)] == cells, name
    headers = [c.value for c in offered_book.worksheets[0][4] if c.value]
    assert headers == [overview_header(column, lang) for column, _kind in OVERVIEW_COLUMNS]


def test_the_card_is_copied_so_later_changes_do_not_leak_into_the_files(card):
    frame, shown, _week = card
    csv_file, _ = scorecard_downloads.deferred(frame, shown, "en", lambda: b"")
    before = csv_file()
    frame.loc[:, "merchant_id"] = "changed"
    assert csv_file() == before


def test_the_download_buttons_build_on_click_without_a_rerun(app):
    """A rerun starting while a deferred file is built drops the reply with its address (the
    browser then never downloads); the buttons must not rerun the page."""
    app.run()
    app.switch_page("app_pages/scorecards.py").run()
    assert not app.exception
    buttons = [element.proto for element in app.get("download_button")]
    assert len(buttons) == 2
    assert all(button.deferred_file_id and button.ignore_rerun for button in buttons)
