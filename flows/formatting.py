"""How numbers and instants read on every face: the dashboard, the scorecards (HTML, XLSX) and
the e-mails. A missing value is shown as a dash, never as 0 (a rate without a denominator is not
zero)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

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
