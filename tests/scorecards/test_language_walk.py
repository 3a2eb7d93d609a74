"""One language at a time in every scorecard face: each merchant's HTML card, each category's
workbook (every sheet, every cell), the index page and the category e-mail, in 中文 and English,
on the session's generated warehouse (the checks of tests/language.py)."""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path

import openpyxl
import pytest

from flows import formatting as fmt
from flows.config import Settings
from flows.scorecard.delivery import compose
from flows.scorecard.produce import read_cards, write_all
from flows.scorecard.queries import resolve_week
from flows.scorecard.recipients import Recipients
from tests.language import Checker, data_values

_HIDDEN = re.compile(r"<(style|script)\b.*?</\1>", re.S | re.I)
_TITLE = re.compile(r'\btitle="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")


def html_text(page: str) -> str:
    """The words a reader sees in an HTML page, tooltips included."""
    page = _HIDDEN.sub(" ", page)
    tooltips = " ".join(_TITLE.findall(page))
    return html.unescape(_TAG.sub(" ", page) + " " + tooltips)


def workbook_text(path: Path) -> str:
    """Every sheet name and every cell of a workbook."""
    book = openpyxl.load_workbook(path, read_only=True)
    parts = []
    for sheet in book.worksheets:
        parts.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            parts.extend(str(v) for v in row if isinstance(v, str | bool))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def checker(small_warehouse) -> Checker:
    return Checker(data_values(small_warehouse))


@pytest.fixture(scope="module", params=["zh", "en"])
def written(request, small_warehouse, tmp_path_factory):
    lang = request.param
    settings = dataclasses.replace(Settings(), warehouse=small_warehouse)
    week = resolve_week(small_warehouse, None, settings)
    cards = read_cards(small_warehouse, week, settings, lang)
    out = tmp_path_factory.mktemp(f"cards_{lang}")
    files, index = write_all(cards, out, settings, lang)
    return lang, cards, files, index


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{where}: {stray}" for where, strays in found.items() for stray in strays)


def test_every_card_workbook_and_index_speaks_one_language(written, checker):
    lang, _, files, index = written
    assert files and all(f.cards for f in files)
    found: dict[str, list[str]] = {}
    for category in files:
        for path in (*category.cards.values(), category.workbook):
            text = workbook_text(path) if path.suffix == ".xlsx" else html_text(path.read_text())
            if strays := checker.stray(text, lang):
                found[path.name] = strays
    if strays := checker.stray(html_text(index.read_text()), lang):
        found[index.name] = strays
    assert not found, f"stray text in {lang}:\n{_report(found)}"


def test_every_category_email_speaks_one_language(written, checker):
    lang, cards, files, _ = written
    as_of = fmt.local_time(cards.as_of, cards.timezone)
    found: dict[str, list[str]] = {}
    for category_files, group in zip(files, cards.categories, strict=True):
        message = compose(
            category_files,
            group,
            cards.week,
            as_of,
            Recipients(("quality@example.com",)),
            "scorecards@example.com",
            lang,
            cards.timezone,
        )
        text = str(message["Subject"]) + "\n" + message.get_body(("plain",)).get_content()
        if strays := checker.stray(text, lang):
            found[group.category] = strays
    assert not found, f"stray text in {lang}:\n{_report(found)}"
