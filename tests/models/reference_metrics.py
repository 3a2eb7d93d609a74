"""Key metrics recomputed with plain pandas straight from the landing CSV files.

An independent reading of the data contract (no SQL, no ingest code), used to check the marts.
Assumes a clean generated sample: CSV, canonical English headers and codes, naive timestamps in
the platform time zone.
"""

from __future__ import annotations

from datetime import UTC
from math import sqrt
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
from scipy.stats import norm

DEFECT_ISSUES = {"quality_defect", "cosmetic_flaw", "counterfeit"}
HOUR = pd.Timedelta(hours=1)


def read_entity(landing: Path, prefix: str) -> pd.DataFrame:
    """Every ``<prefix>*.csv`` file of the landing folder, as text."""
    files = sorted(p for p in Path(landing).glob(f"{prefix}*.csv") if p.is_file())
    if prefix == "complaints":
        files = [p for p in files if not p.name.startswith("complaint_events")]
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in files]
    return pd.concat(frames, ignore_index=True).replace("", None)


def instants(values: pd.Series, tz: str) -> pd.Series:
    """Export times as instants: naive ones read in the platform zone, offsets honoured."""

    zone = ZoneInfo(tz)

    def one(text):
        if text is None:
            return pd.NaT
        stamp = pd.Timestamp(text.replace("/", "-"))
        if stamp.tz is not None:
            return stamp.tz_convert(tz)
        # fold=0: an ambiguous local time is the earlier instant, and a non-existent one keeps the
        # offset before the change, i.e. moves forward by the gap (the contract's rule).
        local = stamp.to_pydatetime().replace(tzinfo=zone, fold=0)
        return pd.Timestamp(local.astimezone(UTC)).tz_convert(tz)

    return pd.to_datetime(values.map(one))


def week_of(times: pd.Series, tz: str) -> pd.Series:
    local = times.dt.tz_convert(tz).dt.tz_localize(None).dt.normalize()
    return (local - pd.to_timedelta(local.dt.weekday, unit="D")).dt.date


class Reference:
    """The metrics of one landing folder."""

    def __init__(self, landing: Path, tz: str, sla_hours: dict[str, float]):
        self.tz = tz
        self.sla_hours = sla_hours
        orders = read_entity(landing, "orders").drop_duplicates(["order_id", "sku_id"], keep="last")
        orders["ordered_at"] = instants(orders["ordered_at"], tz)
        orders["order_week"] = week_of(orders["ordered_at"], tz)
        skus = read_entity(landing, "skus")
        complaints = read_entity(landing, "complaints")
        for col in ("received_at", "updated_at"):
            complaints[col] = instants(complaints[col], tz)
        complaints = complaints.sort_values("updated_at", kind="stable").drop_duplicates(
            "complaint_id", keep="last"
        )
        sku_merchant = skus.set_index("sku_id")["merchant_id"]
        complaints["merchant_id"] = complaints["merchant_id"].fillna(
            complaints["sku_id"].map(sku_merchant)
        )
        complaints["counted"] = complaints["status"] != "withdrawn"
        complaints["defect"] = (
            complaints["counted"]
            & complaints["issue_type"].isin(DEFECT_ISSUES)
            & (complaints["responsibility"] == "merchant")
        )
        complaints["received_week"] = week_of(complaints["received_at"], tz)
        events = read_entity(landing, "complaint_events")
        events["occurred_at"] = instants(events["occurred_at"], tz)
        events = events.drop_duplicates(["complaint_id", "event_type", "occurred_at"])
        actions = read_entity(landing, "corrective_actions")
        for col in ("opened_at", "completed_at"):
            actions[col] = instants(actions[col], tz)
        self.orders, self.complaints, self.events, self.actions = (
            orders,
            complaints,
            events,
            actions,
        )
        self.as_of = max(complaints["updated_at"].max(), events["occurred_at"].max())

    # --- defect rates -------------------------------------------------------------------------
    def order_lines(self) -> pd.DataFrame:
        counted = self.complaints[self.complaints["counted"]]
        per_line = counted.groupby(["order_id", "sku_id"]).agg(
            n_counted=("complaint_id", "size"), n_defect=("defect", "sum")
        )
        lines = self.orders.join(per_line, on=["order_id", "sku_id"])
        lines["has_complaint"] = lines["n_counted"].fillna(0) > 0
        lines["has_defect"] = lines["n_defect"].fillna(0) > 0
        return lines

    def merchant_weekly(self) -> pd.DataFrame:
        out = (
            self.order_lines()
            .groupby(["merchant_id", "order_week"])
            .agg(
                order_lines=("order_id", "size"),
                complaint_lines=("has_complaint", "sum"),
                defect_lines=("has_defect", "sum"),
            )
            .reset_index()
        )
        out["complaint_rate"] = out["complaint_lines"] / out["order_lines"]
        out["defect_rate"] = out["defect_lines"] / out["order_lines"]
        return out

    # --- SLA ----------------------------------------------------------------------------------
    def observed_stages(self) -> set[tuple[str, str]]:
        """(channel, stage) pairs some loaded complaint of the channel completes."""
        completing = {
            "acknowledged": ("acknowledge",),
            "merchant_notified": ("merchant_notified",),
            "merchant_evidence_submitted": ("merchant_evidence",),
            "remedy_executed": ("resolution",),
            "closed": ("resolution",),
        }
        channel_of = self.complaints.set_index("complaint_id")["channel"]
        pairs = set()
        for ev in self.events.itertuples():
            if ev.event_type in completing and ev.complaint_id in channel_of.index:
                for stage in completing[ev.event_type]:
                    pairs.add((channel_of[ev.complaint_id], stage))
        return pairs

    def sla_statuses(self) -> pd.DataFrame:
        rows = []
        observed = self.observed_stages()
        by_complaint = dict(tuple(self.events.groupby("complaint_id")))
        for c in self.complaints[self.complaints["counted"]].itertuples():
            ev = by_complaint.get(c.complaint_id, self.events.iloc[0:0])

            def first(kind, after=None, frame=ev):
                times = frame.loc[frame["event_type"] == kind, "occurred_at"]
                if after is not None:
                    times = times[times > after]
                return times.min() if len(times) else None

            reopens = ev.loc[ev["event_type"] == "reopened", "occurred_at"]
            last_reopen = reopens.max() if len(reopens) else None
            received = first("received") or c.received_at
            resolved = first("remedy_executed", last_reopen) or first("closed", last_reopen)
            if resolved is None and c.status in ("resolved", "closed"):
                resolved = c.updated_at
            notified = first("merchant_notified")
            spans = {
                "acknowledge": (received, first("acknowledged")),
                "merchant_notified": (received, notified),
                "merchant_evidence": (notified, first("merchant_evidence_submitted")),
                "resolution": (received, resolved),
            }
            for stage, (start, done) in spans.items():
                target = self.sla_hours[stage]
                rows.append(
                    {
                        "complaint_id": c.complaint_id,
                        "received_week": c.received_week,
                        "channel": c.channel,
                        "stage": stage,
                        "status": (
                            "not_observed"
                            if target is not None and (c.channel, stage) not in observed
                            else self._status(start, done, target, resolved)
                        ),
                    }
                )
        return pd.DataFrame(rows)

    def _status(self, start, done, target, resolved) -> str:
        if target is None:
            return "not_applicable"
        if start is None:
            return "not_started" if resolved is None else "not_applicable"
        deadline = start + target * HOUR
        if done is not None:
            return "met" if (done - start) <= target * HOUR else "breached"
        if resolved is None:
            return "open_overdue" if self.as_of > deadline else "open_not_due"
        return "breached" if resolved > deadline else "not_applicable"

    # --- recurrence ---------------------------------------------------------------------------
    def recurrence(self, window_days: int = 90) -> pd.DataFrame:
        """Buyer-level: B recurs A on the same buyer (the order line's), SKU and issue type."""
        counted = self.complaints[self.complaints["counted"]].merge(
            self.orders[["order_id", "sku_id", "buyer_id"]], on=["order_id", "sku_id"], how="left"
        )
        closes = self.events[self.events["event_type"] == "closed"].groupby("complaint_id")[
            "occurred_at"
        ]
        last_close = closes.max()
        closed = counted[counted["status"] == "closed"].copy()
        closed["closed_at"] = closed["complaint_id"].map(last_close).fillna(closed["updated_at"])
        rows = []
        window = pd.Timedelta(days=window_days)
        for a in closed.itertuples():
            classified = pd.notna(a.issue_type) and pd.notna(a.buyer_id)
            later = counted[
                (counted["buyer_id"] == a.buyer_id)
                & (counted["sku_id"] == a.sku_id)
                & (counted["issue_type"] == a.issue_type)
                & (counted["received_at"] > a.closed_at)
                & (counted["received_at"] <= a.closed_at + window)
                & (counted["complaint_id"] != a.complaint_id)
            ]
            first = later.sort_values(["received_at", "complaint_id"]).head(1)
            mature = a.closed_at + window <= self.as_of
            rows.append(
                {
                    "complaint_id": a.complaint_id,
                    "has_recurred": classified and len(first) == 1,
                    "recurred_by": first["complaint_id"].iloc[0]
                    if classified and len(first)
                    else None,
                    "is_mature": mature,
                    "is_in_rate": mature and classified,
                }
            )
        return pd.DataFrame(rows)

    # --- corrective actions -------------------------------------------------------------------
    def action_counts(
        self, window_days: int = 90, lag_days: int = 30, alpha: float = 0.05, min_power: float = 0.8
    ) -> pd.DataFrame:
        """Before/after counts and the contract's verdict of each corrective action."""
        lines = self.order_lines()
        window = pd.Timedelta(days=window_days)
        rows = []
        for act in self.actions.itertuples():
            scope = lines[lines["merchant_id"] == act.merchant_id]
            if act.sku_id is not None:
                scope = scope[scope["sku_id"] == act.sku_id]
            before = scope[
                (scope["ordered_at"] >= act.opened_at - window)
                & (scope["ordered_at"] < act.opened_at)
            ]
            if pd.isna(act.completed_at):
                after = scope.iloc[0:0]
            else:
                after = scope[
                    (scope["ordered_at"] >= act.completed_at)
                    & (scope["ordered_at"] < act.completed_at + window)
                ]
            counts = (
                int(before["has_defect"].sum()),
                len(before),
                int(after["has_defect"].sum()),
                len(after),
            )
            mature = pd.notna(act.completed_at) and self.as_of >= act.completed_at + pd.Timedelta(
                days=window_days + lag_days
            )
            rows.append(
                {
                    "action_id": act.action_id,
                    "before_order_lines": counts[1],
                    "before_defect_lines": counts[0],
                    "after_order_lines": counts[3],
                    "after_defect_lines": counts[2],
                    "evaluation": verdict(*counts, mature, alpha, min_power),
                }
            )
        return pd.DataFrame(rows)


def verdict(
    k1: int, n1: int, k2: int, n2: int, mature: bool, alpha: float, min_power: float
) -> str:
    """The contract's verdict of a mature action, with scipy's normal distribution."""
    if not mature:
        return "pending"
    if k1 == 0 or n1 == 0 or n2 == 0:
        return "insufficient_data"
    p1, p2 = k1 / n1, k2 / n2
    pooled = (k1 + k2) / (n1 + n2)
    se = sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    p_value = 1.0 if se == 0 else 2 * norm.sf(abs((p2 - p1) / se))
    if p_value < alpha:
        return "effective" if p2 < p1 else "worsened"
    half = p1 / 2
    pbar = (n1 * p1 + n2 * half) / (n1 + n2)
    z = norm.ppf(0.975)
    power = norm.cdf(
        (abs(p1 - half) - z * sqrt(pbar * (1 - pbar) * (1 / n1 + 1 / n2)))
        / sqrt(p1 * (1 - p1) / n1 + half * (1 - half) / n2)
    )
    return "no_detectable_change" if power >= min_power else "insufficient_data"
