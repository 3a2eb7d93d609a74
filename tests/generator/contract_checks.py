"""The data contract as assertions over a generated landing folder (clean data)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from flows.generator.schema import ENTITIES, ENUM_CODES, ENUMS
from tests.generator.exports import files_of, parse_ts, read_entity, read_records

ZH_ENUMS = {name: set(values.values()) for name, values in ENUMS.items() if values}


def _allowed(column: str, headers: str) -> set[str]:
    if headers == "zh" and column in ZH_ENUMS:
        return ZH_ENUMS[column]
    return set(ENUM_CODES[column])


def _to_en(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for column, mapping in ENUMS.items():
        if mapping and column in out:
            back = {zh: en for en, zh in mapping.items()}
            out[column] = out[column].map(lambda v, b=back: b.get(v, v))
    return out


def check_contract(folder: Path, truth: dict, headers: str = "en", encoding: str = "utf-8") -> dict:
    """Assert every contract rule the clean generator promises; returns the frames read."""
    frames = {}
    for entity, columns in ENTITIES.items():
        paths = files_of(folder, entity)
        assert paths, f"no {entity} file"
        expected = [c.zh if headers == "zh" else c.name for c in columns]
        for path in paths:
            header, _ = read_records(path, encoding)
            assert header == expected, f"{path.name}: header {header}"
        df = read_entity(folder, entity, encoding)
        for col in columns:
            if col.required:
                assert df[col.name].notna().all(), f"{entity}.{col.name} has empty required values"
            if col.kind == "enum":
                values = set(df[col.name].dropna())
                bad = values - _allowed(col.name, headers)
                assert not bad, f"{entity}.{col.name}: unexpected values {bad}"
            if col.kind == "timestamp":
                parsed = df[col.name].dropna().map(parse_ts)
                assert parsed.notna().all(), f"{entity}.{col.name}: unparseable timestamps"
            if col.kind in ("integer", "decimal"):
                numbers = pd.to_numeric(df[col.name].dropna())
                assert (numbers >= 0).all(), f"{entity}.{col.name} negative"
        frames[entity] = _to_en(df) if headers == "zh" else df
    _check_relations(frames, truth)
    return frames


def _ts(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series.map(parse_ts))


def _check_relations(f: dict[str, pd.DataFrame], truth: dict) -> None:
    merchants, skus, orders = f["merchants"], f["skus"], f["orders"]
    complaints, events, actions = f["complaints"], f["complaint_events"], f["corrective_actions"]
    assert merchants.merchant_id.is_unique and skus.sku_id.is_unique
    assert actions.action_id.is_unique
    assert not orders.duplicated(["order_id", "sku_id"]).any()
    assert skus.merchant_id.isin(merchants.merchant_id).all()
    sku_merchant = skus.set_index("sku_id").merchant_id
    assert (orders.sku_id.map(sku_merchant) == orders.merchant_id).all()
    assert actions.merchant_id.isin(merchants.merchant_id).all()
    assert actions.sku_id.dropna().isin(skus.sku_id).all()
    qty = pd.to_numeric(orders.quantity)
    assert (qty >= 1).all() and (qty == qty.round()).all()

    ordered, shipped, delivered = (
        _ts(orders.ordered_at),
        _ts(orders.shipped_at),
        _ts(orders.delivered_at),
    )
    assert (shipped.dropna() >= ordered[shipped.notna()]).all()
    assert (delivered.dropna() >= shipped[delivered.notna()]).all()
    assert shipped[delivered.notna()].notna().all()
    export = pd.Timestamp(truth["export_moment"])
    assert ordered.max() <= export and shipped.max() <= export and delivered.max() <= export

    for file_name, rows in complaints.groupby("_file"):
        assert rows.complaint_id.is_unique, f"{file_name}: repeated complaint ids"
    keys = orders.set_index(["order_id", "sku_id"])
    line = complaints.set_index(["order_id", "sku_id"]).index
    assert line.isin(keys.index).all(), "complaints naming unknown order lines"
    assert (
        complaints.merchant_id.dropna()
        == complaints.sku_id.map(sku_merchant)[complaints.merchant_id.notna()]
    ).all()
    received = _ts(complaints.received_at)
    delivered_of = _ts(keys.delivered_at.reindex(line)).to_numpy()
    assert (received.to_numpy() >= delivered_of).all(), "complaint before delivery"
    paid = pd.to_numeric(keys.paid_amount.reindex(line)).to_numpy()
    refund = pd.to_numeric(complaints.refund_amount).to_numpy()
    assert (pd.isna(refund) | (refund <= paid + 1e-9)).all(), "refund above the paid amount"
    sat = pd.to_numeric(complaints.satisfaction).dropna()
    assert sat.between(1, 5).all()
    unclassified = complaints.issue_type.isna()
    assert complaints.responsibility[unclassified].isna().all()

    ev_time = _ts(events.occurred_at)
    assert ev_time.max() <= export
    events = events.assign(t=ev_time)
    assert events.complaint_id.isin(complaints.complaint_id).all()
    assert (events.groupby("complaint_id", sort=False).t.diff().dropna() >= pd.Timedelta(0)).all()
    first = events.groupby("complaint_id").first()
    assert (first.event_type == "received").all()
    latest = (
        complaints.assign(u=_ts(complaints.updated_at))
        .sort_values("u")
        .groupby("complaint_id")
        .last()
    )
    assert (first.t.reindex(latest.index) == _ts(latest.received_at)).all()
    # the latest row of each complaint agrees with its full event history
    last = events.groupby("complaint_id").t.max().reindex(latest.index)
    assert (last == latest.u).all(), "updated_at differs from the last event"
    last_type = events.sort_values(["complaint_id", "t"]).groupby("complaint_id").event_type.last()
    status_of = {
        "closed": "closed",
        "withdrawn": "withdrawn",
        "remedy_executed": "resolved",
        "merchant_notified": "awaiting_merchant",
        "received": "open",
        "acknowledged": "open",
    }
    expected = last_type.reindex(latest.index).map(lambda e: status_of.get(e, "investigating"))
    assert (expected == latest.status).all(), "status disagrees with the last event"
    # every row agrees with the events up to the moment of the export that carries it
    for file_name, rows in complaints.groupby("_file"):
        key = "export1_moment" if "export1" in file_name else "export_moment"
        moment = pd.Timestamp(truth[key])
        known = events[events.t <= moment].sort_values(["complaint_id", "t"])
        last_event = known.groupby("complaint_id").agg(t=("t", "last"), kind=("event_type", "last"))
        at = last_event.reindex(rows.complaint_id)
        assert (at.t.to_numpy() == _ts(rows.updated_at).to_numpy()).all(), file_name
        status = at.kind.map(lambda e: status_of.get(e, "investigating")).to_numpy()
        assert (status == rows.status.to_numpy()).all(), file_name
    classified = set(events.complaint_id[events.event_type == "classified"])
    has_issue = latest.issue_type.notna()
    assert (has_issue == latest.index.isin(classified)).all(), (
        "issue_type shown without classification"
    )
