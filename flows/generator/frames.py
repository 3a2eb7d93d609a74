"""Export rows: turning generated arrays into contract-shaped data frames (English codes)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from flows.generator.catalog import Catalog
from flows.generator.complaints import Complaints
from flows.generator.events import State
from flows.generator.orders import CARRIER_NAMES, PROVINCE_NAMES, OrderLines
from flows.generator.planted import CorrectiveAction
from flows.generator.schema import ENUMS
from flows.generator.timestamps import render

STR = "str"
ARROW_STR = pd.StringDtype("pyarrow", na_value=np.nan)


def _text(values: pa.Array) -> pd.api.extensions.ExtensionArray:
    """Wrap Arrow text without copying (pandas' Arrow-backed string dtype)."""
    return pd.array(values, dtype=ARROW_STR)


def _take(names: np.ndarray, index: np.ndarray) -> pd.api.extensions.ExtensionArray:
    return _text(pa.array(list(names), type=pa.string()).take(pa.array(index)))


def _digits(values: np.ndarray, prefix: str = "", width: int = 0) -> pa.Array:
    text = pa.array(values, type=pa.int64()).cast(pa.string())
    if width:
        text = pc.utf8_lpad(text, width, "0")
    if prefix:
        text = pc.binary_join_element_wise(prefix, text, "")
    return text


def order_ids(lines: OrderLines) -> np.ndarray:
    return _digits(lines.order_num).to_numpy(zero_copy_only=False)


def orders_frame(lines: OrderLines, catalog: Catalog, ts_form: str) -> pd.DataFrame:
    sku_ids = catalog.skus["sku_id"].to_numpy()
    merchant_ids = catalog.merchants["merchant_id"].to_numpy()
    return pd.DataFrame(
        {
            "order_id": _text(_digits(lines.order_num)),
            "sku_id": _take(sku_ids, lines.sku),
            "merchant_id": _take(merchant_ids, catalog.sku_merchant[lines.sku]),
            "quantity": pd.array(lines.quantity, dtype="Int64"),
            "paid_amount": lines.paid,
            "ordered_at": _text(render(lines.ordered, ts_form)),
            "shipped_at": _text(render(lines.shipped, ts_form)),
            "delivered_at": _text(render(lines.delivered, ts_form)),
            "buyer_id": _text(_digits(lines.buyer, "U", 9)),
            "province": _take(PROVINCE_NAMES, lines.province),
            "carrier": _take(CARRIER_NAMES, lines.carrier),
        }
    )


def complaints_frame(
    ids: np.ndarray,
    base: dict[str, np.ndarray],
    c: Complaints,
    state: State,
    satisfaction: np.ndarray,
    ts_form: str,
    rows: np.ndarray,
) -> pd.DataFrame:
    """The complaints export rows (``rows`` of the week's complaints) as they stood in ``state``."""
    s = state
    classified, known, executed = s.classified[rows], s.remedy_known[rows], s.executed[rows]
    refund = np.where(executed, c.refund[rows], np.nan)
    refund = np.where(
        known & ~executed & np.isin(c.remedy[rows], ["none", "rejected"]), 0.0, refund
    )
    sat = np.where(s.closed[rows] & (satisfaction[rows] > 0), satisfaction[rows], -1)
    return pd.DataFrame(
        {
            "complaint_id": pd.array(ids[rows], dtype=STR),
            "order_id": pd.array(base["order_id"][rows], dtype=STR),
            "sku_id": pd.array(base["sku_id"][rows], dtype=STR),
            "merchant_id": pd.array(base["merchant_id"][rows], dtype=object),
            "channel": pd.array(c.channel[rows], dtype=STR),
            "received_at": _text(render(c.received[rows], ts_form)),
            "issue_type": pd.array(np.where(classified, c.issue[rows], None), dtype=object),
            "responsibility": pd.array(
                np.where(classified, c.responsibility[rows], None), dtype=object
            ),
            "remedy": pd.array(np.where(known, c.remedy[rows], None), dtype=object),
            "refund_amount": refund,
            "compensation_amount": np.where(executed, c.compensation[rows], np.nan),
            "status": pd.array(s.status[rows], dtype=STR),
            "satisfaction": pd.array([int(v) if v > 0 else None for v in sat], dtype="Int64"),
            "description": pd.array(base["description"][rows], dtype=object),
            "evidence_count": pd.array(c.evidence_count[rows], dtype="Int64"),
            "buyer_phone": pd.array(base["buyer_phone"][rows], dtype=object),
            "updated_at": _text(render(s.updated[rows], ts_form)),
        }
    )


def events_frame(ids: np.ndarray, ev: dict[str, np.ndarray], ts_form: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "complaint_id": _take(ids, ev["complaint"]),
            "event_type": _take(ev["event_names"], ev["event_code"]),
            "occurred_at": _text(render(ev["occurred"], ts_form)),
            "actor": _take(ev["actor_names"], ev["actor_code"]),
            "note": _take(ev["note_names"], ev["note_code"]),
        }
    )


def actions_frame(actions: list[CorrectiveAction], catalog: Catalog, ts_form: str) -> pd.DataFrame:
    sku_ids = catalog.skus["sku_id"].to_numpy()
    opened = np.array([a.opened_s for a in actions], dtype=np.int64)
    completed = np.array([a.completed_s if a.completed_s else -1 for a in actions], dtype=np.int64)
    return pd.DataFrame(
        {
            "action_id": [a.action_id for a in actions],
            "merchant_id": [catalog.merchants["merchant_id"].iat[a.merchant] for a in actions],
            "sku_id": [None if a.sku is None else sku_ids[a.sku] for a in actions],
            "issue_type": [a.issue_type for a in actions],
            "action_type": [a.action_type for a in actions],
            "opened_at": render(opened, ts_form).to_pylist(),
            "completed_at": render(completed, ts_form).to_pylist(),
        },
        dtype=object,
    )


def to_chinese_values(df: pd.DataFrame) -> pd.DataFrame:
    """Chinese enumeration values where the contract defines them (others stay English codes)."""
    out = df.copy()
    for column, mapping in ENUMS.items():
        if mapping and column in out.columns:
            out[column] = out[column].map(
                lambda v, m=mapping: m.get(v, v) if isinstance(v, str) else v
            )
    return out
