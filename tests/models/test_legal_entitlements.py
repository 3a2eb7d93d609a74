"""Legal entitlements on designed complaints at the window edges: the marts against an
independent pandas reference (tests/models/legal_reference.py) and hand-stated outcomes."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy.stats import binomtest

from flows.config import Settings
from flows.warehouse import read_only
from tests.models.designed_rows import CN, DELIVERED, LEGAL_DESIGN, LEGAL_ORDERS
from tests.models.legal_reference import entitlement_checks

COLUMNS = [
    "complaint_id",
    "merchant_id",
    "channel",
    "remedy_rule",
    "remedy_given",
    "is_accepted",
    "has_entitlement",
    "is_below_entitlement",
    "below_rule",
    "compensation_shortfall",
]


def _reference(settings: Settings) -> pd.DataFrame:
    def at(text):
        return pd.NaT if text is None else pd.Timestamp(text + CN)

    orders = pd.DataFrame(
        [
            {"order_id": o, "sku_id": s, "paid_amount": p, "delivered_at": at(d)}
            for o, s, _, p, d in LEGAL_ORDERS
        ]
    )
    skus = pd.DataFrame(
        [
            {"sku_id": "S2", "category_l1": "家用电器", "category_l2": "厨房电器"},
            {"sku_id": "SF", "category_l1": "食品生鲜", "category_l2": "生鲜"},
        ]
    )
    sku_of = {o: (s, m) for o, s, m, *_ in LEGAL_ORDERS}
    complaints = pd.DataFrame(
        [
            {"complaint_id": c, "order_id": o, "sku_id": sku_of[o][0], "merchant_id": sku_of[o][1],
             "channel": ch, "received_at": at(r), "status": st, "issue_type": it,
             "responsibility": rs, "remedy": rm, "compensation_amount": cp}
            for c, o, ch, r, st, it, rs, rm, cp, _ in LEGAL_DESIGN
        ]
    )  # fmt: skip
    events = pd.DataFrame(
        [
            {"complaint_id": c, "event_type": k, "occurred_at": at(t)}
            for c, *_, rest in LEGAL_DESIGN
            for k, t in rest
        ]
    )
    return entitlement_checks(orders, skus, complaints, events, settings)


@pytest.fixture(scope="module")
def checks(designed_build) -> pd.DataFrame:
    live, result = designed_build
    assert result.success
    with read_only(live) as con:
        return con.execute(
            f"select {', '.join(COLUMNS)} from marts.legal_entitlement_checks "
            "where complaint_id in (select unnest(?)) order by complaint_id",
            [[row[0] for row in LEGAL_DESIGN]],
        ).df()


def test_checks_equal_the_pandas_reference(checks):
    want = _reference(Settings()).sort_values("complaint_id").reset_index(drop=True)
    got = checks.reset_index(drop=True)
    got["compensation_shortfall"] = got["compensation_shortfall"].astype(float)
    assert len(want) == 14  # closed, delivered: not STILL_OPEN nor UNDELIVERED
    pd.testing.assert_frame_equal(got[COLUMNS], want[COLUMNS], check_dtype=False)


def test_window_edges_and_rules_by_hand(checks):
    rows = checks.set_index("complaint_id")
    below = rows["is_below_entitlement"].to_dict()
    rule = rows["below_rule"].to_dict()
    # Exactly 7 days after delivery is inside the no-reason window; one second later is not.
    assert rows.loc["EXACT_7D", "remedy_rule"] == "no_reason_return" and below["EXACT_7D"]
    assert pd.isna(rows.loc["PAST_7D", "remedy_rule"]) and not below["PAST_7D"]
    # Exactly 15 days: exchange is still due (repair falls short); one second later, repair.
    assert rule["DEFECT_15D"] == "defect_exchange"
    assert rows.loc["DEFECT_PAST_15D", "remedy_rule"] == "defect_repair"
    assert not below["DEFECT_PAST_15D"]
    # Accepted after the last proposal: not below; accepted before a new proposal: below.
    assert not below["ACCEPTED_LOWER"] and below["ACCEPTED_THEN_REPROPOSED"]
    # Rejected inside a window is below although accepted; outside any window it is not.
    assert below["REJECTED_IN_WINDOW"] and not below["REJECTED_LATE_DEFECT"]
    # 假一赔三: at least 3 x paid and at least 500.
    shortfall = rows["compensation_shortfall"].astype(float).to_dict()
    assert (rule["FAKE_FLOOR"], shortfall["FAKE_FLOOR"]) == ("counterfeit_compensation", 200.0)
    assert (rule["FAKE_TRIPLE"], shortfall["FAKE_TRIPLE"]) == ("counterfeit_compensation", 100.0)
    assert not below["FAKE_PAID"] and pd.isna(shortfall["FAKE_PAID"])
    # Fresh food: no no-reason return, but a defect keeps its 三包 entitlement.
    assert not rows.loc["EXEMPT_FRESH", "has_entitlement"]
    assert rule["FRESH_DEFECT"] == "defect_return"
    assert DELIVERED.startswith("2026-03-01")


def test_weekly_counts_and_intervals(designed_build):
    live, _ = designed_build
    want = _reference(Settings())
    with read_only(live) as con:
        weekly = con.execute(
            """select merchant_id, channel, sum(n_checked), sum(n_entitled), sum(n_below),
                   sum(n_below_counterfeit_compensation), sum(n_rejected_in_window),
                   sum(n_lower_accepted), sum(compensation_shortfall)
               from marts.legal_compliance_weekly where merchant_id in ('M2', 'M3')
               group by all order by all"""
        ).fetchall()
        intervals = con.execute(
            "select n_below, n_entitled, below_rate_ci_low, below_rate_ci_high "
            "from marts.legal_compliance_weekly where n_entitled > 0"
        ).fetchall()
    expected = (
        want.groupby(["merchant_id", "channel"])
        .agg(
            n=("complaint_id", "size"),
            entitled=("has_entitlement", "sum"),
            below=("is_below_entitlement", "sum"),
            fake=("below_rule", lambda s: (s == "counterfeit_compensation").sum()),
        )
        .reset_index()
    )
    got = {(m, ch): (n, e, b, f) for m, ch, n, e, b, f, *_ in weekly}
    assert got == {
        (r.merchant_id, r.channel): (r.n, r.entitled, r.below, r.fake)
        for r in expected.itertuples()
    }
    assert sum(row[6] for row in weekly) == 1  # REJECTED_IN_WINDOW
    assert sum(row[7] for row in weekly) == 2  # ACCEPTED_LOWER, REJECTED_LATE_DEFECT
    assert float(sum(row[8] for row in weekly)) == 300.0
    assert intervals
    for k, n, low, high in intervals:
        ref = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
        assert low == pytest.approx(ref.low, abs=1e-12)
        assert high == pytest.approx(ref.high, abs=1e-12)
