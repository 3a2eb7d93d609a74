"""An independent pandas reading of the contract's "Legal entitlements", for the designed tests.

Written from the contract text, not from the SQL: windows as Python timedeltas from delivery to
the complaint, the remedy order as a list, acceptance from the event list.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from flows.config import Settings

ORDER = ["none", "return_shipping_refund", "partial_refund", "repair", "exchange", "return_refund"]
DEFECT_ISSUES = {"quality_defect", "cosmetic_flaw", "counterfeit"}


def _rank(remedy) -> int:
    return 0 if remedy in (None, "rejected") or pd.isna(remedy) else ORDER.index(remedy)


def entitlement_checks(
    orders: pd.DataFrame,
    skus: pd.DataFrame,
    complaints: pd.DataFrame,
    events: pd.DataFrame,
    settings: Settings,
) -> pd.DataFrame:
    """One row per closed counted complaint with a delivered order line."""
    lines = orders.set_index(["order_id", "sku_id"])
    sku = skus.set_index("sku_id")
    exempt = set(settings.legal_exempt_categories)
    rows = []
    for c in complaints.itertuples():
        if c.status != "closed" or (c.order_id, c.sku_id) not in lines.index:
            continue
        line = lines.loc[(c.order_id, c.sku_id)]
        if pd.isna(line["delivered_at"]):
            continue
        since = c.received_at - line["delivered_at"]
        defect = c.issue_type in DEFECT_ISSUES and c.responsibility == "merchant"
        categories = set(sku.loc[c.sku_id, ["category_l1", "category_l2"]].dropna())
        options = []  # (rank, rule), the defect rules listed first at equal rank
        if defect and since <= timedelta(days=settings.legal_defect_return_days):
            options.append((5, "defect_return"))
        if (
            since <= timedelta(days=settings.legal_no_reason_return_days)
            and not categories & exempt
        ):
            options.append((5, "no_reason_return"))
        if defect and since <= timedelta(days=settings.legal_defect_exchange_days):
            options.append((4, "defect_exchange"))
        if defect:
            options.append((3, "defect_repair"))
        best = max(options, key=lambda o: o[0]) if options else None
        rule = next(r for k, r in options if k == best[0]) if best else None
        in_window = any(
            r in ("no_reason_return", "defect_return", "defect_exchange") for _, r in options
        )
        mine = events[events["complaint_id"] == c.complaint_id]
        proposed = mine.loc[mine["event_type"] == "remedy_proposed", "occurred_at"]
        accepted_at = mine.loc[mine["event_type"] == "remedy_accepted", "occurred_at"]
        accepted = bool(len(accepted_at)) and (
            not len(proposed) or accepted_at.max() > proposed.max()
        )
        remedy = None if pd.isna(c.remedy) else c.remedy
        compensation = 0.0 if pd.isna(c.compensation_amount) else float(c.compensation_amount)
        required = None
        if defect and c.issue_type == "counterfeit":
            paid = 0.0 if pd.isna(line["paid_amount"]) else float(line["paid_amount"])
            required = max(
                settings.legal_counterfeit_multiple * paid,
                settings.legal_counterfeit_min_compensation,
            )
        remedy_short = best is not None and _rank(remedy) < best[0]
        rejected_in_window = remedy == "rejected" and in_window
        remedy_below = rejected_in_window or (remedy_short and not accepted)
        comp_short = required is not None and compensation < required
        comp_below = comp_short and not accepted
        rows.append(
            {
                "complaint_id": c.complaint_id,
                "merchant_id": c.merchant_id,
                "channel": c.channel,
                "remedy_rule": rule,
                "remedy_given": remedy or "none",
                "is_accepted": accepted,
                "has_entitlement": best is not None or required is not None,
                "is_below_entitlement": remedy_below or comp_below,
                "below_rule": rule if remedy_below else
                ("counterfeit_compensation" if comp_below else None),
                "compensation_shortfall": (required - compensation) if comp_short else None,
            }
        )  # fmt: skip
    return pd.DataFrame(rows)
