"""Rendering local timestamps in the forms the contract accepts, one form per export file."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

STANDARD = "%Y-%m-%d %H:%M:%S"
SLASH_MINUTES = "%Y/%m/%d %H:%M"
ISO_SHANGHAI = "%Y-%m-%dT%H:%M:%S+08:00"


def render(seconds: np.ndarray, form: str) -> np.ndarray:
    """Local epoch seconds to text (object array); negative seconds (not happened) become None."""
    arr = pa.array(seconds, type=pa.int64(), mask=seconds < 0).cast(pa.timestamp("s"))
    return pc.strftime(arr, format=form).to_numpy(zero_copy_only=False)


def render_one(second: int, form: str = STANDARD) -> str:
    return str(render(np.array([second], dtype=np.int64), form)[0])
