"""How numbers, instants and ranked lists read on a scorecard (the same in HTML and XLSX)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flows.scorecard.labels import Labels
from flows.scorecard.phone_mask import mask_phones

DASH = "—"
_CODE_COUNT = re.compile(r"^(\S+)\s*\((\d+)\)$")


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def pct(rate: float | None, digits: int = 2) -> str:
    """0.02090 → ``2.09 %``; missing → ``—`` (a rate with no denominator is not zero)."""
    return DASH if is_missing(rate) else f"{float(rate) * 100:.{digits}f} %"


def signed_pct(rate: float | None) -> str:
    """A relative change with its sign: ``-50.0 %``."""
    return DASH if is_missing(rate) else f"{float(rate) * 100:+.1f} %"


def points(change: float | None) -> str:
    """A change of a rate, in percentage points with a sign: ``+0.42 pp``."""
    return DASH if is_missing(change) else f"{float(change) * 100:+.2f} pp"


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


def money(value: Decimal | float | None, currency: str) -> str:
    return DASH if is_missing(value) else f"{Decimal(str(value)):,.2f} {currency}"


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


def ranked_items(value: Any, labels: Labels, names: dict[str, str] | None = None) -> list[str]:
    """A mart's ranked list (``top_issue_types``, ``top_skus``) as display lines.

    Accepts a list of structs (label fields first, counts after), a list of strings, a JSON text
    of either, or a comma/semicolon separated text, so the card does not depend on the list's
    physical type.
    """
    if is_missing(value) or value == "":
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            parts = [part.strip() for part in value.replace(";", ",").split(",")]
            return [mask_phones(_coded(part, labels, names or {})) for part in parts if part]
    if isinstance(value, dict):
        value = [{"name": key, "n": n} for key, n in value.items()]
    lines = []
    for item in value or []:
        if isinstance(item, dict):
            texts = [labels.code(v) for v in item.values() if isinstance(v, str) and v]
            counts = [v for v in item.values() if isinstance(v, int | float | Decimal)]
            text = " ".join(dict.fromkeys(texts))
            if counts:
                text += f" ({', '.join(_plain(n) for n in counts)})"
            lines.append(mask_phones(text))
        elif not is_missing(item):
            lines.append(mask_phones(labels.code(item) if isinstance(item, str) else str(item)))
    return lines


def _coded(item: str, labels: Labels, names: dict[str, str]) -> str:
    """``quality_defect (5)`` → ``质量问题 (5)``; ``S01A (6)`` → ``S01A 电水壶 (6)``: translate a
    leading code or add a SKU's name, keep the count."""
    match = _CODE_COUNT.match(item)
    code, tail = (match[1], f" ({match[2]})") if match else (item, "")
    if code in names:
        return f"{code} {names[code]}{tail}"
    return f"{labels.code(code)}{tail}"


def _plain(value: int | float | Decimal) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2%}" if 0 < value < 1 else f"{value:.2f}"
    return f"{int(value):,}"
