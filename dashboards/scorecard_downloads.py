"""The scorecard page's CSV and XLSX files, built only when a download is asked for.

The page hands ``st.download_button`` a callable per file instead of the bytes: building the
workbook (and importing xlsxwriter) on every render cost a quarter of a second of the page's first
view. The XLSX file is the workbook mailed to the category's team, written by the same function
(``flows.scorecard.produce.category_workbook``); the CSV holds the page's table, which has the
workbook overview's columns and headers: localised headers and codes, instants as local wall
times (a spreadsheet has no time zones).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from dashboards import data
from dashboards.i18n import localise_frame
from flows import formatting as fmt
from flows.scorecard.labels import Labels
from flows.scorecard.layout import OVERVIEW_COLUMNS
from flows.scorecard.ranked_lists import ranked_text

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What the page's table and its CSV show, in this order (those the mart has): the mailed
# workbook's overview columns, from its one definition.
COLUMNS = [column for column, kind in OVERVIEW_COLUMNS if kind != "link"]


# Figures that need order lines (rates, grades) or their buyers (recurrence): absent, not 0, when
# no order export is loaded.
NEEDS_ORDERS = [
    "grade",
    "grade_explanation",
    "order_lines",
    "defect_lines",
    "defect_rate",
    "defect_rate_ci_low",
    "defect_rate_ci_high",
    "is_mature",
    "category_median_defect_rate",
    "defect_rate_percentile",
    "n_recurrences",
    "defect_rate_wow_change",
]


def with_grade_explanation(card: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The card with the grade's explanation worded in ``lang`` from the mart's grade columns,
    and its ranked lists in ``lang`` (as the HTML cards, workbooks and e-mails word them)."""
    out = card.copy()
    out["grade_explanation"] = [
        fmt.grade_explanation(row, lang) for row in out.to_dict(orient="records")
    ]
    labels = Labels(lang)
    for column in ("top_issue_types", "top_skus"):  # ranked lists worded as the workbook words them
        if column in out.columns:
            out[column] = [ranked_text(value, labels) for value in out[column]]
    return out


def without_order_figures(card: pd.DataFrame) -> pd.DataFrame:
    """The card with the figures that need order lines set to missing."""
    out = card.copy()
    for column in NEEDS_ORDERS:
        if column in out.columns:
            out[column] = pd.Series([None] * len(out), index=out.index, dtype="object")
    return out


def export_frame(card: pd.DataFrame, columns: Sequence[str], lang: str) -> pd.DataFrame:
    """The shown columns, localised; time zone dropped from instants (Excel has none). As in
    every table: each rate with its n, and rates on too few cases left empty."""
    shown, _ = fmt.blank_small_rates(
        card[fmt.with_rate_bases(columns, card.columns)], data.min_rate_base()
    )
    export = localise_frame(shown, lang)
    for column in export.select_dtypes(include=["datetimetz"]).columns:
        export[column] = export[column].dt.tz_localize(None)
    return export


def csv_bytes(export: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese headers correctly."""
    return fmt.csv_bytes(export)


def deferred(
    card: pd.DataFrame,
    columns: Sequence[str],
    lang: str,
    workbook: Callable[[], bytes],
) -> tuple[Callable[[], bytes], Callable[[], bytes]]:
    """Callables building the CSV of ``card`` and the mailed workbook when a download starts."""
    card = card.copy()
    columns = list(columns)

    def csv_file() -> bytes:
        return csv_bytes(export_frame(card, columns, lang))

    return csv_file, workbook


def mailed_workbook(warehouse: Path, week: str, category: str, lang: str) -> Callable[[], bytes]:
    """A callable building the workbook mailed to ``category``'s team for ``week``."""

    def xlsx_file() -> bytes:
        from flows.config import load_settings
        from flows.scorecard.produce import category_workbook
        from flows.scorecard.weeks import IsoWeek

        settings = load_settings()
        return category_workbook(warehouse, IsoWeek.parse(week), category, settings, lang)

    return xlsx_file


__all__ = [
    "COLUMNS",
    "XLSX_MIME",
    "csv_bytes",
    "deferred",
    "export_frame",
    "mailed_workbook",
    "with_grade_explanation",
]
