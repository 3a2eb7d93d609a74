"""Excel sheet names: ≤ 31 characters, none of ``[]:*?/\\``, unique ignoring case."""

from __future__ import annotations

import re

MAX_LENGTH = 31
_ILLEGAL = re.compile(r"[\[\]:*?/\\]")
_RESERVED = {"history"}  # Excel refuses a sheet of this name


def clean_sheet_name(text: str) -> str:
    name = _ILLEGAL.sub("_", text).strip().strip("'").strip()
    return name[:MAX_LENGTH].rstrip() or "Sheet"


def unique_sheet_names(wanted: list[str], taken: set[str] | None = None) -> list[str]:
    """Clean names for ``wanted``, in order, made unique (``~2``, ``~3``…) against each other
    and against ``taken``."""
    used = {name.casefold() for name in (taken or set())} | _RESERVED
    out = []
    for text in wanted:
        base = clean_sheet_name(text)
        name, n = base, 1
        while name.casefold() in used:
            n += 1
            suffix = f"~{n}"
            name = base[: MAX_LENGTH - len(suffix)].rstrip() + suffix
        used.add(name.casefold())
        out.append(name)
    return out
