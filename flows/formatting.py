"""How numbers and instants read on every face: the dashboard, the scorecards (HTML, XLSX) and
the e-mails. A missing value is shown as a dash, never as 0 (a rate without a denominator is not
zero)."""

from __future__ import annotations

from collections.abc import Mapping
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


# The case counts each rate rests on, by the column names the marts, pages and cards use. A rate
# resting on fewer cases than the configured minimum (``Settings.min_rate_base``) is never shown
# as a number: "—" with the reason, and no change drawn from it. With several bases (a change
# between two windows) the smallest decides; a base absent from a table is not considered.
RATE_BASES: dict[str, tuple[str, ...]] = {
    **{
        rate + suffix: bases
        for rate, bases in {
            "defect_rate": ("order_lines",),
            "complaint_rate": ("order_lines",),
            "compliance_rate": ("n_measured",),
            "recurrence_rate": ("n_closed_in_rate", "n_in_rate"),
            "below_rate": ("n_entitled",),
            "shrunk_defect_rate": ("graded_order_lines", "ranked_order_lines"),
            "lab_test_rate": ("n_complaints",),
            "defect_confirmed_share": ("n_completed",),
            "asked_rate": ("n_complaints",),
        }.items()
        for suffix in ("", "_ci_low", "_ci_high")
    },
    "defect_rate_wow_change": ("order_lines",),
    "defect_rate_4w_trend": ("order_lines",),
    "graded_defect_rate": ("graded_order_lines",),
    "share_of_cell": ("n_cell",),
    "reopen_rate": ("n_counted",),
    "repeat_buyer_rate": ("n_counted",),
    "before_defect_rate": ("before_order_lines",),
    "after_defect_rate": ("after_order_lines",),
    **{
        "relative_change" + suffix: ("before_order_lines", "after_order_lines")
        for suffix in ("", "_ci_low", "_ci_high")
    },
    "week_defect_rate": ("week_order_lines",),
    "window_defect_rate": ("window_order_lines",),
    **{
        f"{stage}_{kind}": (f"{stage}_n_measured",)
        for stage in ("acknowledge", "merchant_notified", "merchant_evidence", "resolution")
        for kind in ("compliance_rate", "on_time_rate")
    },
}


def too_few(n: Any, minimum: int) -> bool:
    """A base that cannot carry a rate: missing, or fewer cases than ``minimum``."""
    return is_missing(n) or int(n) < minimum


def rate_with_n(rate: float | None, n: Any, minimum: int, digits: int = 2) -> str:
    """A rate with the count it rests on: ``2.09 % (n = 450)``; below the minimum the rate is not
    shown: ``— (n = 12 < 30)``; without a base at all just ``—``."""
    if is_missing(n):
        return DASH
    if too_few(n, minimum):
        return f"{DASH} (n = {int(n):,} < {minimum:,})"
    return f"{pct(rate, digits)} (n = {int(n):,})"


def rate_bases(rate_column: str, columns: Any) -> list[str]:
    """The base columns of ``rate_column`` present among ``columns`` (none: not a counted rate)."""
    present = set(columns)
    return [base for base in RATE_BASES.get(rate_column, ()) if base in present]


def with_rate_bases(columns: Any, available: Any) -> list[str]:
    """``columns`` with the base of every counted rate among them inserted before it (when
    ``available`` has it and ``columns`` lack it), so a rate is never shown without its n."""
    wanted = list(columns)
    for column in list(wanted):
        for base in rate_bases(column, available):
            if base not in wanted:
                wanted.insert(wanted.index(column), base)
    return wanted


def blank_small_rates(frame: pd.DataFrame, minimum: int) -> tuple[pd.DataFrame, dict[str, int]]:
    """``frame`` with every rate whose base is below ``minimum`` set to missing (shown as "—"),
    and how many cells of each rate column were blanked."""
    out = frame.copy()
    blanked: dict[str, int] = {}
    for column in frame.columns:
        bases = rate_bases(column, frame.columns)
        if not bases:
            continue
        small = pd.Series(False, index=frame.index)
        for base in bases:
            small |= pd.to_numeric(frame[base], errors="coerce").fillna(0) < minimum
        small &= frame[column].notna()
        if small.any():
            out[column] = out[column].astype("float64").where(~small)
            blanked[column] = int(small.sum())
    return out, blanked


def blank_small_rate_row(row: Mapping[str, Any], minimum: int) -> dict[str, Any]:
    """One record (a card's row, SKU, SLA stage or action) with every rate whose base is below
    ``minimum`` set to None: the scorecard's and the workbook's form of ``blank_small_rates``."""
    out = dict(row)
    for column, value in row.items():
        bases = rate_bases(column, row.keys())
        if bases and not is_missing(value) and any(too_few(row[b], minimum) for b in bases):
            out[column] = None
    return out


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


# A tile holds about nine characters at 1440 px over five columns: larger numbers are shortened
# (24.2万 / 242K) and the full figure goes to the tile's tooltip.
COMPACT_FROM = 100_000
_COMPACT_UNITS = {
    "zh": ((100_000_000, "亿"), (10_000, "万")),
    "en": ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")),
}


def compact(value: float | Decimal | None, lang: str) -> str:
    """``241953`` → ``24.2万`` (zh) or ``242K`` (en); below 100,000 the full figure with
    separators; missing → ``—``."""
    if is_missing(value):
        return DASH
    number = float(value)
    if abs(number) < COMPACT_FROM:
        return f"{number:,.0f}"
    for size, unit in _COMPACT_UNITS[lang]:
        if abs(number) >= size:
            shown = number / size
            digits = 0 if abs(shown) >= 100 else 1
            return f"{shown:,.{digits}f}{unit}"
    return f"{number:,.0f}"


def compact_money(value: Decimal | float | None, currency: str, lang: str) -> str:
    """An amount for a tile: ``¥24.2万``, ``¥242K``; full (``¥1,234.50``) when it fits."""
    if is_missing(value) or abs(float(value)) < COMPACT_FROM:
        return money(value, currency)
    amount = compact(value, lang)
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    return f"{symbol}{amount}" if symbol else f"{amount} {currency}"


def p_value(value: float | None) -> str:
    """A p-value to 3 significant digits, never in scientific notation (``< 0.001`` below)."""
    if is_missing(value):
        return DASH
    number = float(value)
    if number < 0.001:
        return "< 0.001"
    return f"{number:.3g}" if number < 1 else "1"


def interval(value: float | None) -> float | None:
    """A bound of a proportion's interval, clamped to [0, 1] (a float's -0.0 or 1.0000001 is
    not a rate)."""
    return None if is_missing(value) else min(1.0, max(0.0, float(value)))


def plain_float(value: float) -> str:
    """A float as a spreadsheet reads it, never in scientific notation: ``6.39e-18`` →
    ``0.00000000000000000639`` (the shortest digits that give the same float back)."""
    import numpy as np

    return np.format_float_positional(value, trim="-")


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as a CSV download: UTF-8 with a byte-order mark (Excel opens Chinese right),
    floats without scientific notation."""
    return frame.to_csv(index=False, float_format=plain_float).encode("utf-8-sig")
