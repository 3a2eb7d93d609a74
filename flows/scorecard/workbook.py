"""One XLSX workbook per category: an overview of its merchants, then one sheet per merchant.

Cells hold the mart values themselves (rates as fractions with a percent format, counts as
integers, amounts as numbers), so a reader can re-sort and re-aggregate; a missing rate is an
empty cell, never 0. Every text passes through the phone mask.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from flows import formatting as fmt
from flows.config import Settings
from flows.scorecard.cards import CategoryCards, MerchantCard, with_small_rates_blanked
from flows.scorecard.labels import Labels
from flows.scorecard.layout import OVERVIEW_COLUMNS, overview_header
from flows.scorecard.phone_mask import mask_phones
from flows.scorecard.ranked_lists import ranked_text
from flows.scorecard.sheet_names import unique_sheet_names
from flows.scorecard.weeks import IsoWeek

GRADE_COLOURS = {"A": "#2E7D32", "B": "#7CB342", "C": "#F9A825", "D": "#C62828"}


def merchant_sheet_names(category: CategoryCards, labels: Labels) -> dict[str, str]:
    """merchant_id → its sheet name (unique, ≤ 31 characters, Excel-safe)."""
    wanted = [mask_phones(f"{c.merchant_id} {c.merchant_name}") for c in category.merchants]
    names = unique_sheet_names(wanted, taken={labels["overview"]})
    return {c.merchant_id: name for c, name in zip(category.merchants, names, strict=True)}


def write_workbook(
    path: Path,
    category: CategoryCards,
    week: IsoWeek,
    as_of: datetime,
    timezone: str,
    settings: Settings,
    labels: Labels,
) -> Path:
    """Write the category's workbook to ``path`` (replaced if present) and return it. Rates on
    fewer than ``min_rate_base`` cases are empty cells, with a note on every sheet."""
    category = dataclasses.replace(
        category,
        merchants=[
            with_small_rates_blanked(card, settings.min_rate_base) for card in category.merchants
        ],
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    book = xlsxwriter.Workbook(str(tmp), {"nan_inf_to_errors": True, "remove_timezone": True})
    styles = _styles(book)
    sheets = merchant_sheet_names(category, labels)
    overview = book.add_worksheet(labels["overview"])
    _write_overview(overview, category, sheets, week, as_of, timezone, labels, styles)
    small_note = labels.fmt("small_rates_note", minimum=settings.min_rate_base)
    overview.write_string(2, 0, small_note, styles["note"])
    for card in category.merchants:
        sheet = book.add_worksheet(sheets[card.merchant_id])
        _write_merchant(sheet, card, week, timezone, settings, labels, styles)
        sheet.write_string(1, 0, small_note, styles["note"])
    book.close()
    tmp.replace(path)
    return path


def _styles(book: xlsxwriter.Workbook) -> dict[str, Any]:
    return {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "header": book.add_format(
            {"bold": True, "bg_color": "#ECEFF1", "text_wrap": True, "valign": "top", "border": 1}
        ),
        "section": book.add_format({"bold": True, "font_size": 11, "bottom": 1}),
        "rate": book.add_format({"num_format": "0.00%"}),
        "int": book.add_format({"num_format": "#,##0"}),
        "money": book.add_format({"num_format": "#,##0.00"}),
        "number": book.add_format({"num_format": "0.00"}),
        "text": book.add_format({"text_wrap": False}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "note": book.add_format({"italic": True, "font_color": "#5A6776"}),
        "link": book.add_format({"font_color": "#1565C0", "underline": 1}),
        **{
            f"grade_{grade}": book.add_format(
                {"bg_color": colour, "font_color": "#FFFFFF", "bold": True, "align": "center"}
            )
            for grade, colour in GRADE_COLOURS.items()
        },
    }


def _cell(ws: Worksheet, row: int, col: int, value: Any, style: Any = None) -> None:
    """Write one value with its natural type; None stays an empty cell (never a 0)."""
    if fmt.is_missing(value):
        ws.write_blank(row, col, None, style)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, style)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, style)
    elif isinstance(value, Decimal):
        ws.write_number(row, col, float(value), style)
    elif isinstance(value, datetime):
        ws.write_string(row, col, value.isoformat(timespec="minutes"), style)
    elif isinstance(value, date):
        ws.write_string(row, col, value.isoformat(), style)
    else:
        ws.write_string(row, col, mask_phones(str(value)), style)


def _write_overview(
    ws: Worksheet,
    category: CategoryCards,
    sheets: dict[str, str],
    week: IsoWeek,
    as_of: datetime,
    timezone: str,
    labels: Labels,
    styles: dict[str, Any],
) -> None:
    ws.write_string(
        0,
        0,
        mask_phones(f"{labels['title']} · {category.category} · {week.label}"),
        styles["title"],
    )
    ws.write_string(1, 0, f"{labels['as_of']}: {fmt.local_time(as_of, timezone)}", styles["note"])
    header_row, first = 3, 4
    ws.set_row(header_row, 42)
    for col, (key, _kind) in enumerate(OVERVIEW_COLUMNS):
        ws.write_string(header_row, col, overview_header(key, labels.lang), styles["header"])
    for offset, card in enumerate(category.merchants):
        r = first + offset
        values = {**card.row, "n_overdue": len({o["complaint_id"] for o in card.overdue})}
        for col, (key, kind) in enumerate(OVERVIEW_COLUMNS):
            if kind == "link":
                ws.write_url(
                    r,
                    col,
                    f"internal:'{sheets[card.merchant_id]}'!A1",
                    styles["link"],
                    string=sheets[card.merchant_id],
                )
            elif kind == "flag":
                _cell(ws, r, col, labels.flag(values.get(key)), styles.get("text"))
            elif kind == "ranked":
                _cell(ws, r, col, ranked_text(values.get(key), labels), styles["text"])
            else:
                _cell(ws, r, col, labels.coded(key, values.get(key)), styles.get(kind))
    last = first + len(category.merchants) - 1
    if category.merchants:
        grade_col = _col("grade")
        for grade in GRADE_COLOURS:
            ws.conditional_format(
                first,
                grade_col,
                last,
                grade_col,
                {
                    "type": "cell",
                    "criteria": "==",
                    "value": f'"{grade}"',
                    "format": styles[f"grade_{grade}"],
                },
            )
        rate_col = _col("defect_rate")
        ws.conditional_format(
            first,
            rate_col,
            last,
            rate_col,
            {"type": "data_bar", "bar_color": "#E57373", "data_bar_2010": False},
        )
        pct_col = _col("defect_rate_percentile")
        ws.conditional_format(
            first,
            pct_col,
            last,
            pct_col,
            {
                "type": "3_color_scale",
                "min_type": "num",
                "min_value": 0,
                "mid_type": "num",
                "mid_value": 0.5,
                "max_type": "num",
                "max_value": 1,
                "min_color": "#63BE7B",
                "mid_color": "#FFEB84",
                "max_color": "#F8696B",
            },
        )
        ws.autofilter(header_row, 0, last, len(OVERVIEW_COLUMNS) - 1)
    ws.freeze_panes(first, 2)
    ws.set_column(0, 0, 10)
    ws.set_column(1, 1, 22)
    ws.set_column(2, len(OVERVIEW_COLUMNS) - 2, 12)
    ws.set_column(_col("grade_explanation"), _col("grade_explanation"), 48)
    ws.set_column(len(OVERVIEW_COLUMNS) - 1, len(OVERVIEW_COLUMNS) - 1, 26)
    legend = first + len(category.merchants) + 1
    ws.write_string(legend, 0, labels["percentile_note"], styles["note"])


def _col(key: str) -> int:
    return next(i for i, (k, _kind) in enumerate(OVERVIEW_COLUMNS) if k == key)


def _table(
    ws: Worksheet,
    top: int,
    title: str,
    columns: list[tuple[str, str]],
    rows: list[dict[str, Any]],
    styles: dict[str, Any],
    empty: str,
    labels: Labels,
) -> int:
    """Write a titled table (headers and codes in the reader's words) at ``top``; return the
    next free row."""
    ws.write_string(top, 0, title, styles["section"])
    if not rows:
        ws.write_string(top + 1, 0, empty, styles["note"])
        return top + 3
    for col, (key, _kind) in enumerate(columns):
        ws.write_string(top + 1, col, labels.column(key), styles["header"])
    for i, row in enumerate(rows):
        for col, (key, kind) in enumerate(columns):
            value = row.get(key)
            if kind == "flag":
                _cell(ws, top + 2 + i, col, labels.flag(value), styles.get("text"))
            else:
                _cell(ws, top + 2 + i, col, labels.coded(key, value), styles.get(kind))
    return top + 3 + len(rows)


def _write_merchant(
    ws: Worksheet,
    card: MerchantCard,
    week: IsoWeek,
    timezone: str,
    settings: Settings,
    labels: Labels,
    styles: dict[str, Any],
) -> None:
    ws.set_column(0, 0, 30)
    ws.set_column(1, 8, 14)
    ws.write_string(
        0,
        0,
        mask_phones(f"{card.merchant_name} ({card.merchant_id}) · {week.label}"),
        styles["title"],
    )
    r = 2
    grade_style = styles.get(f"grade_{card.row.get('grade')}")
    ws.write_string(r, 0, labels["grade"], styles["header"])
    _cell(ws, r, 1, card.row.get("grade"), grade_style)
    _cell(ws, r, 2, card.row.get("grade_explanation"), styles["text"])
    r += 2
    if not card.orders_loaded:
        ws.write_string(r, 0, labels["no_orders_title"], styles["section"])
        text = labels.fmt("no_orders", week=week.label, n=card.row.get("n_complaints_received"))
        ws.write_string(r + 1, 0, text, styles["note"])
        r += 3
    elif not card.has_orders:
        ws.write_string(r, 0, labels["no_activity_title"], styles["section"])
        ws.write_string(r + 1, 0, labels.fmt("no_activity", week=week.label), styles["note"])
        r += 3
    else:
        ws.write_string(r, 0, labels["metric"], styles["header"])
        ws.write_string(r, 1, labels["value"], styles["header"])
        r += 1
        for key, kind in _KPI_ROWS:
            ws.write_string(r, 0, labels.column(key))
            value = card.row.get(key)
            if kind == "flag":
                _cell(ws, r, 1, labels.flag(value), styles.get("text"))
            else:
                _cell(ws, r, 1, value, styles.get(kind))
            r += 1
        r += 1
    reco_rows = [{"priority": x.priority, "recommendation": x.text} for x in card.recommendations]
    r = _table(
        ws,
        r,
        labels["recommendations"],
        [("priority", "int"), ("recommendation", "text")],
        reco_rows,
        styles,
        labels["no_recommendations"],
        labels,
    )
    trend = [{k: row.get(k) for k, _ in _TREND_COLUMNS} for row in card.trend]
    r = _table(
        ws,
        r,
        labels.fmt("trend", n=settings.scorecard_trend_weeks),
        _TREND_COLUMNS,
        trend,
        styles,
        labels["none"],
        labels,
    )
    r = _table(ws, r, labels["top_skus"], _SKU_COLUMNS, card.skus, styles, labels["none"], labels)
    sla = [{**row, "target": labels.sla_target(row.get("targets", []))} for row in card.sla]
    r = _table(ws, r, labels["sla"], _SLA_COLUMNS, sla, styles, labels["none"], labels)
    overdue = [
        {**o, "received_at": fmt.local_time(o.get("received_at"), timezone)} for o in card.overdue
    ]
    r = _table(
        ws, r, labels["overdue"], _OVERDUE_COLUMNS, overdue, styles, labels["no_overdue"], labels
    )
    if card.legal_counts and card.legal_counts.get("n_checked"):
        legal = [{**x, "below_rule": labels.code(x.get("below_rule"))} for x in card.legal_below]
        r = _table(ws, r, labels["legal"], _LEGAL_COLUMNS, legal, styles, labels["none"], labels)
    recurrences = [
        {**x, "closed_at": fmt.local_time(x.get("closed_at"), timezone)} for x in card.recurrences
    ]
    r = _table(
        ws,
        r,
        labels["recurrences"],
        _RECURRENCE_COLUMNS,
        recurrences,
        styles,
        labels["no_recurrences"],
        labels,
    )
    actions = [
        {
            **a,
            "opened_at": fmt.local_time(a.get("opened_at"), timezone),
            "completed_at": fmt.local_time(a.get("completed_at"), timezone),
            "evaluation": labels.code(a.get("evaluation")),
            # Not judged yet (pending: in progress or not mature): no effect is shown.
            **(
                {}
                if a.get("evaluation") != "pending"
                else {
                    "relative_change": None,
                    "relative_change_ci_low": None,
                    "relative_change_ci_high": None,
                    "p_value": None,
                    "power": None,
                }
            ),
        }
        for a in card.actions
    ]
    _table(ws, r, labels["actions"], _ACTION_COLUMNS, actions, styles, labels["no_actions"], labels)


_KPI_ROWS: list[tuple[str, str]] = [
    ("order_lines", "int"),
    ("complaint_lines", "int"),
    ("defect_lines", "int"),
    ("defect_rate", "rate"),
    ("defect_rate_ci_low", "rate"),
    ("defect_rate_ci_high", "rate"),
    ("is_mature", "flag"),
    ("category_median_defect_rate", "rate"),
    ("defect_rate_percentile", "rate"),
    ("defect_rate_wow_change", "rate"),
    ("defect_rate_4w_trend", "rate"),
    ("n_complaints_received", "int"),
    ("n_confirmed_defects_received", "int"),
    ("merchant_evidence_on_time_rate", "rate"),
    ("n_recurrences", "int"),
    ("reopen_count", "int"),
    ("refund_amount", "money"),
    ("compensation_amount", "money"),
]
_TREND_COLUMNS = [
    ("iso_week", "text"),
    ("order_lines", "int"),
    ("defect_lines", "int"),
    ("defect_rate", "rate"),
    ("defect_rate_ci_low", "rate"),
    ("defect_rate_ci_high", "rate"),
    ("category_median_defect_rate", "rate"),
    ("is_mature", "flag"),
    ("grade", "text"),
]
_SKU_COLUMNS = [
    ("sku_id", "text"),
    ("sku_name", "text"),
    ("week_order_lines", "int"),
    ("week_defect_lines", "int"),
    ("week_defect_rate", "rate"),
    ("window_order_lines", "int"),
    ("window_defect_lines", "int"),
    ("window_defect_rate", "rate"),
    ("window_is_mature", "flag"),
]
_SLA_COLUMNS = [
    ("stage", "text"),
    ("target", "text"),
    ("n_measured", "int"),
    ("n_met", "int"),
    ("compliance_rate", "rate"),
    ("n_breached", "int"),
    ("n_open_overdue", "int"),
    ("n_open_not_due", "int"),
    ("n_not_started", "int"),
]
_LEGAL_COLUMNS = [
    ("complaint_id", "text"),
    ("sku_id", "text"),
    ("below_rule", "text"),
    ("entitled_remedy", "text"),
    ("remedy_given", "text"),
    ("compensation_shortfall", "money"),
]
_OVERDUE_COLUMNS = [
    ("complaint_id", "text"),
    ("stage", "text"),
    ("overdue_hours", "number"),
    ("sku_id", "text"),
    ("channel", "text"),
    ("status", "text"),
    ("received_at", "text"),
]
_RECURRENCE_COLUMNS = [
    ("complaint_id", "text"),
    ("sku_id", "text"),
    ("issue_type", "text"),
    ("closed_at", "text"),
    ("recurred_by_complaint_id", "text"),
    ("days_to_recurrence", "number"),
]
_ACTION_COLUMNS = [
    ("action_id", "text"),
    ("scope", "text"),
    ("sku_id", "text"),
    ("issue_type", "text"),
    ("action_type", "text"),
    ("opened_at", "text"),
    ("completed_at", "text"),
    ("before_order_lines", "int"),
    ("before_defect_lines", "int"),
    ("before_defect_rate", "rate"),
    ("after_order_lines", "int"),
    ("after_defect_lines", "int"),
    ("after_defect_rate", "rate"),
    ("relative_change", "rate"),
    ("relative_change_ci_low", "rate"),
    ("relative_change_ci_high", "rate"),
    ("p_value", "number"),
    ("power", "rate"),
    ("evaluation", "text"),
]
