"""Where a week's scorecard files go: ``<out>/index.html``, ``<out>/<category>.xlsx`` and
``<out>/<category>/<merchant_id>.html`` (default out: ``<reports>/scorecards/<week>/``)."""

from __future__ import annotations

import re
from pathlib import Path

from flows.config import Settings
from flows.scorecard.weeks import IsoWeek

_UNSAFE = re.compile(r'[\\/:*?"<>|\s\x00-\x1f]+')


def file_stem(text: str) -> str:
    """A file-name-safe form of a category or merchant id (Unicode kept, separators replaced)."""
    stem = _UNSAFE.sub("_", text).strip("._")
    return stem[:120] or "_"


def default_out_dir(settings: Settings, week: IsoWeek) -> Path:
    return settings.reports / "scorecards" / week.label


def workbook_path(out_dir: Path, category: str) -> Path:
    return out_dir / f"{file_stem(category)}.xlsx"


def card_path(out_dir: Path, category: str, merchant_id: str) -> Path:
    return out_dir / file_stem(category) / f"{file_stem(merchant_id)}.html"


def index_path(out_dir: Path) -> Path:
    return out_dir / "index.html"
