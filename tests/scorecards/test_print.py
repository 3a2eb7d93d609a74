"""The worst merchant's scorecard prints on one A4 page (Debian's Chromium, PDF page count)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from flows.config import Settings
from flows.scorecard.produce import read_cards, write_all
from flows.scorecard.queries import resolve_week
from tests.scorecards.conftest import mart_rows

CHROMIUM = Path("/usr/bin/chromium")


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
def test_worst_cards_print_on_one_a4_page(fixture_warehouse, tmp_path, lang):
    settings = dataclasses.replace(Settings(), warehouse=fixture_warehouse, reports=tmp_path)
    for card in _worst_cards(fixture_warehouse, settings, tmp_path, lang):
        assert pdf_pages(card, tmp_path / f"{card.stem}.pdf") == 1, card.name


@pytest.mark.prefect
def test_worst_real_card_prints_on_one_a4_page(pipeline_warehouse, tmp_path):
    settings = dataclasses.replace(Settings(), warehouse=pipeline_warehouse, reports=tmp_path)
    for card in _worst_cards(pipeline_warehouse, settings, tmp_path, "zh"):
        assert pdf_pages(card, tmp_path / f"{card.stem}.pdf") == 1, card.name
