"""How numbers and instants read on every face: the dashboard, the scorecards (HTML, XLSX) and
the e-mails. A missing value is shown as a dash, never as 0 (a rate without a denominator is not
zero)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from flows.contract import code_label

DASH = "—"


def is_missing(value: Any) -> bool:
    """None, NaN, NaT or pandas' NA (a text is never missing)."""
    if value is None or isinstance(value, str):
        return value is None
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array is a value
        return False


def pct(rate: float | None, digits: int = 2) -> str:
    """0.02090 → ``2.09 %``; missing → ``—`` (a rate with no denominator is not zero)."""
    return DASH if is_missing(rate) else f"{float(rate) * 100:.{digits}f} %"


def signed_pct(rate: float | None) -> str:
    """A relative change with its sign: ``-50.0 %``."""
    return DASH if is_missing(rate) else f"{float(rate) * 100:+.1f} %"


def points(change: float | None) -> str:
    """A change of a rate, in percentage points with a sign: ``+0.42 pp``."""
    return DASH if is_missing(change) else f"{float(change) * 100:+.2f} pp"


def points_delta(current: Any, previous: Any) -> str | None:
    """The change from ``previous`` to ``current`` rate in percentage points, or None when either
    side is missing."""
    if is_missing(current) or is_missing(previous):
        return None
    return points(float(current) - float(previous))


def count(value: int | float | Decimal | None) -> str:
    return DASH if is_missing(value) else f"{int(value):,}"


def count_change(current: int | None, previous: int | None) -> str:
    """``+12`` (``+4.3 %``) for a count against last week; ``—`` when either side is missing."""
    if is_missing(current) or is_missing(previous):
        return DASH
    diff = int(current) - int(previous)
    if not previous:
        return f"{diff:+,}"
    return f"{diff:+,} ({diff / int(previous) * 100:+.1f} %)"


# Symbols of common platform currencies; any other ISO code is written out ("1,234.50 CHF").
CURRENCY_SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "BRL": "R$"}


def money(value: Decimal | float | None, currency: str) -> str:
    """An amount in the platform currency (setting ``currency``): ``¥1,234.50``."""
    if is_missing(value):
        return DASH
    amount = f"{Decimal(str(value)):,.2f}"
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    return f"{symbol}{amount}" if symbol else f"{amount} {currency}"


def hours(value: float | None) -> str:
    return DASH if is_missing(value) else f"{float(value):,.1f}"


def number(value: float | None, digits: int = 2) -> str:
    return DASH if is_missing(value) else f"{float(value):.{digits}f}"


def local_time(value: datetime | None, timezone: str) -> str:
    """An instant in the platform time zone, minutes precision."""
    if value is None:
        return DASH
    if value.tzinfo is not None:
        value = value.astimezone(ZoneInfo(timezone))
    return value.strftime("%Y-%m-%d %H:%M")


def day(value: date | datetime | None, timezone: str) -> str:
    if value is None:
        return DASH
    if isinstance(value, datetime):
        return local_time(value, timezone)[:10]
    return value.isoformat()


# The grade's explanation, worded from the mart's structured columns (merchant_scorecard_weekly:
# grade_status, grade, graded_defect_rate, graded_order_lines, grade_basis_start/end_iso_week,
# grade_threshold, grade_min_order_lines); the status itself is worded by the code table.
_GRADED = (
    "成熟订单周 {start} 至 {end} 共 {lines} 个订单行，缺陷率 {rate} {comparison} {threshold}，"
    "评为 {grade} 级",
    "defect rate {rate} on {lines} order lines of the mature order weeks {start} to {end} "
    "is {comparison} {threshold} → {grade}",
)
_TOO_FEW = (
    "{status}：成熟订单周 {start} 至 {end} 仅 {lines} 个订单行，少于评级所需的 {needed} 个",
    "{status}: {lines} order lines in the mature order weeks {start} to {end}, "
    "below the {needed} needed for a grade",
)


def grade_explanation(row: Any, lang: str) -> str | None:
    """Why a merchant-week has its grade (or none), in ``lang`` ("zh" or "en"); ``row`` is a
    scorecard row (any mapping). None when the row has no grade status."""
    status = row.get("grade_status")
    if is_missing(status):
        return None
    words = code_label("grade_status", status, lang) or str(status)
    if status == "graded":
        template = _GRADED
    elif row.get("grade_basis_end_iso_week"):
        template = _TOO_FEW
    else:  # no mature order week yet: the status says it all
        return words
    grade = row.get("grade")
    lines = row.get("graded_order_lines")
    return template[0 if lang == "zh" else 1].format(
        status=words,
        start=row.get("grade_basis_start_iso_week"),
        end=row.get("grade_basis_end_iso_week"),
        lines=count(0 if is_missing(lines) else lines),
        rate=pct(row.get("graded_defect_rate")),
        comparison=">" if grade == "D" else "≤",
        threshold=pct(row.get("grade_threshold")),
        grade=grade,
        needed=count(row.get("grade_min_order_lines")),
    )
