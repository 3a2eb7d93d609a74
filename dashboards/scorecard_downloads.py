"""The scorecard page's CSV and XLSX files, built only when a download is asked for.

The page hands ``st.download_button`` a callable per file instead of the bytes: building the
workbook (and importing xlsxwriter) on every render cost a quarter of a second of the page's first
view. The files hold the scorecard as the table shows it: localised headers and codes, instants
as local wall times (a spreadsheet has no time zones).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import pandas as pd

from dashboards import data
from dashboards.i18n import localise_frame
from flows import formatting as fmt
from flows.config import load_settings
from flows.scorecard.labels import Labels, grade_rule_text
from flows.scorecard.ranked_lists import ranked_items

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What the page's table and its files show, in this order (those the mart has).
COLUMNS = [
    "iso_week",
    "merchant_id",
    "merchant_name",
    "category",
    "grade",
    "grade_rule",
    "order_lines",
    "defect_lines",
    "defect_rate",
    "defect_rate_ci_low",
    "defect_rate_ci_high",
    "is_mature",
    "category_median_defect_rate",
    "defect_rate_percentile",
    "n_complaints_received",
    "n_confirmed_defects_received",
    # Each compliance rate with the count it rests on (flows.formatting.RATE_BASES).
    "acknowledge_n_measured",
    "acknowledge_compliance_rate",
    "merchant_notified_n_measured",
    "merchant_notified_compliance_rate",
    "merchant_evidence_n_measured",
    "merchant_evidence_compliance_rate",
    "resolution_n_measured",
    "resolution_compliance_rate",
    "n_recurrences",
    "refund_amount",
    "compensation_amount",
    "reopen_count",
    "defect_rate_wow_change",
    "top_issue_types",
    "top_skus",
]


def with_grade_rules(card: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``card`` with each grade's explanation and its ranked lists worded in ``lang`` (the mart
    words them in English and codes), as the HTML card and the workbook word them."""
    if card.empty:
        return card
    settings = load_settings()
    labels = Labels(lang)
    card = card.copy()
    if "grade_rule" in card.columns and lang != "en":  # the mart words it in English
        card["grade_rule"] = [
            grade_rule_text(row, lang, settings.grade_thresholds, settings.min_volume_order_lines)
            for row in card.to_dict("records")
        ]
    for column in ("top_issue_types", "top_skus"):
        if column in card.columns:
            card[column] = [
                None
                if fmt.is_missing(v)
                else "、".join(ranked_items(v, labels))
                if lang == "zh"
                else "; ".join(ranked_items(v, labels))
                for v in card[column]
            ]
    return card


# Figures that need order lines (rates, grades) or their buyers (recurrence): absent, not 0, when
# no order export is loaded.
NEEDS_ORDERS = [
    "grade",
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


def xlsx_bytes(export: pd.DataFrame, sheet: str) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        export.to_excel(writer, sheet_name=sheet, index=False)
    return buffer.getvalue()


def deferred(
    card: pd.DataFrame, columns: Sequence[str], lang: str, sheet: str
) -> tuple[Callable[[], bytes], Callable[[], bytes]]:
    """Callables building the CSV and the XLSX file of ``card`` when a download starts."""
    card = card.copy()
    columns = list(columns)

    def csv_file() -> bytes:
        return csv_bytes(export_frame(card, columns, lang))

    def xlsx_file() -> bytes:
        return xlsx_bytes(export_frame(card, columns, lang), sheet)

    return csv_file, xlsx_file


__all__ = ["COLUMNS", "XLSX_MIME", "csv_bytes", "deferred", "export_frame", "xlsx_bytes"]
