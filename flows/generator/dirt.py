"""Fault injection: the damage real exports carry, each fault recorded for the truth file.

Faults go into the transactional exports (orders, complaints, events); master data and corrective
actions stay clean so the planted patterns keep their meaning. Row numbers are 1-based data-record
numbers in the written file (header not counted; a quoted multi-line record counts once).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

FAULTS: dict[str, tuple[str, ...]] = {
    "orders": (
        "bad_timestamp",
        "negative_quantity",
        "missing_required",
        "exact_duplicate",
        "conflicting_duplicate",
        "invalid_optional",
    ),
    "complaints": (
        "bad_timestamp",
        "missing_required",
        "unknown_enum",
        "exact_duplicate",
        "invalid_optional",
    ),
    "complaint_events": ("bad_timestamp", "missing_required", "unknown_enum", "exact_duplicate"),
}
KEY_FIELDS = {
    "orders": ("order_id", "sku_id"),
    "complaints": ("complaint_id",),
    "complaint_events": ("complaint_id", "event_type"),
}
TIMESTAMP_FIELD = {
    "orders": ("ordered_at",),
    "complaints": ("received_at", "updated_at"),
    "complaint_events": ("occurred_at",),
}
REQUIRED = {
    "orders": ("order_id", "sku_id", "merchant_id", "quantity", "ordered_at"),
    "complaints": ("order_id", "sku_id", "channel", "status"),
    "complaint_events": ("event_type",),
}
ENUM_FIELD = {
    "complaints": ("channel", "status", "issue_type", "remedy"),
    "complaint_events": ("event_type", "actor"),
}
BAD_TIMESTAMPS = (
    "2026-13-45 25:61:00",
    "not a date",
    "00/00/0000 00:00",
    "2026-02-30 10:00:00",
    "#VALUE!",
)
UNKNOWN_ENUMS = ("wechat_miniapp", "pending_review", "待确认", "unknown", "escalated")


def inject(
    df: pd.DataFrame,
    entity: str,
    file_name: str,
    first_row: int,
    rate: float,
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Damage about ``rate`` of the rows; returns the damaged chunk and one truth entry per fault.

    ``first_row`` is the file's record number of the chunk's first row.
    """
    faults = FAULTS.get(entity)
    if not faults or rate <= 0 or df.empty:
        return df, []
    hit = np.where(rng.random(len(df)) < rate)[0]
    if not len(hit):
        return df, []
    kinds = np.asarray(faults)[rng.integers(0, len(faults), len(hit))]
    if entity == "orders":  # an invalid optional needs a shipment to be wrong about
        kinds = np.where(
            (kinds == "invalid_optional") & df["shipped_at"].isna().to_numpy()[hit],
            "negative_quantity",
            kinds,
        )
    repeats = np.ones(len(df), dtype=int)
    repeats[hit[np.isin(kinds, ["exact_duplicate", "conflicting_duplicate"])]] = 2
    if (repeats > 1).any():
        out = df.iloc[np.repeat(np.arange(len(df)), repeats)].reset_index(drop=True)
    else:
        out = df  # the caller's fresh chunk; edited in place
    new_pos = np.cumsum(repeats) - repeats  # position of each original row in ``out``
    entries: list[dict[str, Any]] = []
    edits: dict[str, dict[int, Any]] = defaultdict(dict)

    def note(pos: int, fault: str, field: str | None, orig: int) -> None:
        key = {k: _plain(df.iat[orig, df.columns.get_loc(k)]) for k in KEY_FIELDS[entity]}
        entries.append(
            {
                "file": file_name,
                "row_number": first_row + pos,
                "entity": entity,
                "fault": fault,
                "field": field,
                "key": key,
            }
        )

    for orig, fault in zip(hit, kinds, strict=True):
        pos = int(new_pos[orig])
        col = out.columns.get_loc
        if fault == "bad_timestamp":
            field = str(rng.choice(TIMESTAMP_FIELD[entity]))
            edits[field][pos] = str(rng.choice(BAD_TIMESTAMPS))
        elif fault == "negative_quantity":
            field = "quantity"
            edits[field][pos] = -int(rng.integers(1, 4))
        elif fault == "missing_required":
            field = str(rng.choice(REQUIRED[entity]))
            edits[field][pos] = None
        elif fault == "unknown_enum":
            field = str(rng.choice(ENUM_FIELD[entity]))
            edits[field][pos] = str(rng.choice(UNKNOWN_ENUMS))
        elif fault == "exact_duplicate":
            field = None
            pos += 1  # the repeat is the extra record
        elif fault == "conflicting_duplicate":
            field = "quantity"
            edits[field][pos + 1] = int(out.iat[pos, col(field)]) + 1
            note(pos, fault, field, orig)
            pos += 1
        else:  # invalid_optional
            if entity == "orders":
                field = "shipped_at"
                ordered = str(out.iat[pos, col("ordered_at")])
                edits[field][pos] = str(int(ordered[:4]) - 1) + ordered[4:]
            elif rng.random() < 0.5:
                field = "satisfaction"
                edits[field][pos] = 7
            else:
                field = "refund_amount"
                edits[field][pos] = -round(float(rng.uniform(1, 100)), 2)
        note(pos, str(fault), field, orig)
    for field, changes in edits.items():
        out[field] = _patched(out[field], changes)
    return out, entries


def _patched(column: pd.Series, changes: dict[int, Any]) -> pd.Series:
    """The column with a few values replaced, in one pass (Arrow text columns are immutable)."""
    if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
        data = pa.array(column.array)
        mask = np.zeros(len(column), dtype=bool)
        positions = sorted(changes)
        mask[positions] = True
        values = pa.array([changes[p] for p in positions], type=data.type)
        patched = pc.replace_with_mask(data, pa.array(mask), values)
        return pd.Series(pd.array(patched, dtype=column.dtype), index=column.index)
    column = column.copy()
    for pos, value in changes.items():
        column.iat[pos] = pd.NA if value is None and column.dtype == "Int64" else value
    return column


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value
