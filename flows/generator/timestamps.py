"""Rendering local timestamps in the forms the contract accepts, one form per export file.

Rendering goes through Arrow casts (several times faster than ``strftime``), so the common forms
are produced from the canonical ``YYYY-MM-DD HH:MM:SS`` text.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

STANDARD = "standard"  # 2026-11-26 10:00:00
SLASH_MINUTES = "slash_minutes"  # 2026/11/26 10:00
SLASH = "slash"  # 2026/11/26 10:00:00
ISO_SHANGHAI = "iso_shanghai"  # 2026-11-26T10:00:00+08:00
FORMS = (STANDARD, SLASH_MINUTES, SLASH, ISO_SHANGHAI)


def render(seconds: np.ndarray, form: str) -> pa.Array:
    """Local epoch seconds to text; negative seconds (not happened) become null."""
    seconds = np.asarray(seconds, dtype=np.int64)
    text = pa.array(seconds, type=pa.int64(), mask=seconds < 0).cast(pa.timestamp("s"))
    text = text.cast(pa.string())
    if form in (SLASH, SLASH_MINUTES):
        text = pc.replace_substring(text, "-", "/")
        if form == SLASH_MINUTES:
            text = pc.utf8_slice_codeunits(text, 0, 16)
    elif form == ISO_SHANGHAI:
        text = pc.binary_join_element_wise(pc.replace_substring(text, " ", "T"), "+08:00", "")
    return text


def render_one(second: int, form: str = STANDARD) -> str:
    return str(render(np.array([second], dtype=np.int64), form)[0])
