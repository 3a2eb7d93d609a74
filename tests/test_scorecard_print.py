"""The worst merchant's scorecard prints on one A4 page (Debian's Chromium, PDF page count)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import duckdb
import pytest

from flows.config import Settings
from flows.scorecard.produce import read_cards, write_all
from flows.scorecard.queries import resolve_week

CHROMIUM = Path("/usr/bin/chromium")


def mart_rows(warehouse: Path, sql: str, params: list) -> list[dict]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def pdf_pages(html: Path, out: Path) -> int:
    """Print ``html`` to an A4 PDF with Chromium and count its pages."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise RuntimeError(
            f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            page.goto(html.as_uri())
            page.pdf(path=str(out), format="A4", print_background=True)
        finally:
            browser.close()
    return len(re.findall(rb"/Type\s*/Page(?!s)", out.read_bytes()))


def _worst_cards(warehouse: Path, settings: Settings, tmp_path: Path, lang: str) -> list[Path]:
    week = resolve_week(warehouse, None, settings)
    cards = read_cards(warehouse, week, settings, lang)
    categories, _ = write_all(cards, tmp_path / lang, settings, lang)
    written = {m: p for c in categories for m, p in c.cards.items()}
    # Worst: the most confirmed defects received and the most recommendations (longest card).
    rows = mart_rows(
        warehouse,
        "select merchant_id from marts.merchant_scorecard_weekly where iso_week = ? "
        "order by n_confirmed_defects_received desc, defect_lines desc limit 2",
        [week.label],
    )
    longest = max(written.values(), key=lambda p: p.stat().st_size)
    return list(dict.fromkeys([*(written[r["merchant_id"]] for r in rows), longest]))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_worst_cards_print_on_one_a4_page(small_warehouse, tmp_path, lang):
    settings = dataclasses.replace(Settings(), warehouse=small_warehouse, reports=tmp_path)
    cards = _worst_cards(small_warehouse, settings, tmp_path, lang)
    assert cards
    for card in cards:
        assert pdf_pages(card, tmp_path / f"{card.stem}.pdf") == 1, card.name
