"""The scorecard page's download files, built on demand: the shown table, row for row."""

from __future__ import annotations

import io

import duckdb
import pandas as pd
import pytest

from dashboards import data, scorecard_downloads
from dashboards.i18n import column_label


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
    frame, shown, week = card
    built = []
    monkeypatch.setattr(scorecard_downloads, "csv_bytes", lambda e: built.append("csv") or b"c")
    monkeypatch.setattr(scorecard_downloads, "xlsx_bytes", lambda e, s: built.append(s) or b"x")
    csv_file, xlsx_file = scorecard_downloads.deferred(frame, shown, "zh", week)
    assert built == []
    assert xlsx_file() == b"x" and built == [week]
    assert csv_file() == b"c" and built == [week, "csv"]


def test_csv_holds_the_week_with_localised_headers(card, warehouse):
    frame, shown, week = card
    csv_file, _ = scorecard_downloads.deferred(frame, shown, "zh", week)
    content = csv_file()
    assert content.startswith(b"\xef\xbb\xbf")  # Excel needs the mark for UTF-8
    back = pd.read_csv(io.BytesIO(content), encoding="utf-8-sig", dtype=str)
    assert list(back.columns) == [column_label(c, "zh") for c in shown]
    merchant = column_label("merchant_id", "zh")
    assert sorted(back[merchant]) == _marts_merchants(warehouse, week)
    assert set(back[column_label("iso_week", "zh")]) == {week}


def test_xlsx_holds_the_same_table_in_a_sheet_named_after_the_week(card, warehouse):
    frame, shown, week = card
    csv_file, xlsx_file = scorecard_downloads.deferred(frame, shown, "en", week)
    sheets = pd.read_excel(io.BytesIO(xlsx_file()), sheet_name=None, dtype=str)
    assert list(sheets) == [week]
    sheet = sheets[week]
    from_csv = pd.read_csv(io.BytesIO(csv_file()), encoding="utf-8-sig", dtype=str)
    assert list(sheet.columns) == list(from_csv.columns) == [column_label(c, "en") for c in shown]
    merchant = column_label("merchant_id", "en")
    assert sorted(sheet[merchant]) == _marts_merchants(warehouse, week)
    assert sheet[merchant].tolist() == from_csv[merchant].tolist()


def test_the_card_is_copied_so_later_changes_do_not_leak_into_the_files(card):
    frame, shown, week = card
    csv_file, _ = scorecard_downloads.deferred(frame, shown, "en", week)
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
