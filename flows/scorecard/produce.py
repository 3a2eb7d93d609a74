"""The scorecard steps in order, as plain functions the command line and the Prefect flow share:
read the week's cards (with their recommendations), write each category's files, write the index.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from flows import formatting as fmt
from flows.config import Settings
from flows.file_modes import restrict
from flows.scorecard.cards import CategoryCards, WeekCards
from flows.scorecard.html_card import render_card
from flows.scorecard.index_page import write_index
from flows.scorecard.labels import Labels
from flows.scorecard.paths import card_path, workbook_path
from flows.scorecard.queries import load_week
from flows.scorecard.recommendations import recommend
from flows.scorecard.weeks import IsoWeek
from flows.scorecard.workbook import write_workbook


@dataclass
class CategoryFiles:
    """What was written for one category: its workbook and one HTML card per merchant."""

    category: str
    workbook: Path
    cards: dict[str, Path] = field(default_factory=dict)
    grades: dict[str, str | None] = field(default_factory=dict)

    @property
    def attachments(self) -> list[Path]:
        return [self.workbook, *self.cards.values()]


def read_cards(
    warehouse: Path, week: IsoWeek, settings: Settings, lang: str, category: str | None = None
) -> WeekCards:
    """The week's cards from the marts, each with its recommended actions."""
    labels = Labels(lang)
    cards = load_week(warehouse, week, settings, category)
    for card in cards.all_cards():
        # The mart stores why the grade is what it is as columns; every face shows these words.
        card.row["grade_explanation"] = fmt.grade_explanation(card.row, lang)
        card.recommendations = recommend(card, settings, labels)
    return cards


def write_category(
    cards: WeekCards, category: CategoryCards, out_dir: Path, settings: Settings, lang: str
) -> CategoryFiles:
    """Write the category's HTML cards and its workbook under ``out_dir``."""
    labels = Labels(lang)
    files = CategoryFiles(category.category, workbook_path(out_dir, category.category))
    for card in category.merchants:
        html = render_card(card, cards.week, cards.as_of, cards.timezone, settings, labels)
        path = card_path(out_dir, category.category, card.merchant_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        files.cards[card.merchant_id] = restrict(path)
        files.grades[card.merchant_id] = card.row.get("grade")
    write_workbook(
        files.workbook, category, cards.week, cards.as_of, cards.timezone, settings, labels
    )
    restrict(files.workbook)
    return files


def write_all(
    cards: WeekCards, out_dir: Path, settings: Settings, lang: str
) -> tuple[list[CategoryFiles], Path]:
    """Every category's files and the index page."""
    written = [write_category(cards, c, out_dir, settings, lang) for c in cards.categories]
    return written, write_index(cards, out_dir, Labels(lang))


def category_workbook(
    warehouse: Path, week: IsoWeek, category: str, settings: Settings, lang: str
) -> bytes:
    """The workbook mailed to ``category``'s team for ``week``, as bytes: what the dashboard's
    scorecard download offers (one layout, written by the one writer)."""
    cards = read_cards(warehouse, week, settings, lang, category)
    (group,) = [c for c in cards.categories if c.category == category]
    with tempfile.TemporaryDirectory(prefix="scorecard-") as folder:
        path = workbook_path(Path(folder), category)
        write_workbook(path, group, cards.week, cards.as_of, cards.timezone, settings, Labels(lang))
        return path.read_bytes()
