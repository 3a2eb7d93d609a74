"""A mart's ranked lists (``top_issue_types``, ``top_skus``) as a scorecard's display lines."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from flows.formatting import is_missing
from flows.scorecard.labels import Labels
from flows.scorecard.phone_mask import mask_phones

_CODE_COUNT = re.compile(r"^(\S+)\s*\((\d+)\)$")


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


def ranked_text(value: Any, labels: Labels) -> str | None:
    """A ranked list as one cell (a table's, a CSV's, a workbook's): its lines joined."""
    items = ranked_items(value, labels)
    return ("、" if labels.lang == "zh" else "; ").join(items) if items else None


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
