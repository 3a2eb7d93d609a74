"""Planted quality patterns: bad batches and corrective actions, chosen before any order exists.

Both act on the latent defect propensity of order lines by order time; nothing else does, so a
SKU's weekly defect rate is stable apart from these (promotion peaks change volume only).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from flows.generator.catalog import Catalog
from flows.generator.complaints import Complaints

DAY = 86400
CONFIRMED_SHARE = 0.85  # share of defect complaints that end up merchant-confirmed and counted


@dataclass(frozen=True)
class BadBatch:
    sku: int
    weeks: tuple[int, ...]
    multiplier: float


@dataclass(frozen=True)
class CorrectiveAction:
    action_id: str
    merchant: int
    sku: int | None  # None = the whole merchant
    issue_type: str
    action_type: str
    opened_s: int
    completed_s: int | None
    effective: bool
    factor: float


def typical_weekly_lines(catalog: Catalog, lines_per_week: np.ndarray) -> np.ndarray:
    """Expected order lines of each SKU in an ordinary (median) week."""
    return float(np.median(lines_per_week)) * catalog.sku_share


def plan_corrective_actions(
    rng: np.random.Generator, catalog: Catalog, lines_per_week: np.ndarray, start_s: int, weeks: int
) -> list[CorrectiveAction]:
    """Actions on the chronically worst SKUs (and a few worst merchants); ~60 % really work."""
    n_days = weeks * 7
    typical = typical_weekly_lines(catalog, lines_per_week)
    # weekly expected defects: actions follow visible problems, not just high rates
    score = catalog.sku_propensity * np.minimum(typical, 400.0)
    candidates = np.where((typical >= 10) & ~catalog.sku_hot)[0]
    n_sku_actions = int(np.clip(round(catalog.n_skus / 100), 2, 15))
    chosen = candidates[np.argsort(-score[candidates], kind="stable")[: n_sku_actions * 2]]
    chosen = rng.permutation(chosen)[:n_sku_actions]
    merchant_rate = np.bincount(
        catalog.sku_merchant, weights=catalog.sku_propensity * catalog.sku_share
    ) / np.maximum(np.bincount(catalog.sku_merchant, weights=catalog.sku_share), 1e-12)
    hot_merchants = catalog.sku_merchant[catalog.sku_hot]
    big = np.where(catalog.merchant_share >= np.median(catalog.merchant_share))[0]
    big = big[~np.isin(big, hot_merchants)]
    worst_merchants = big[np.argsort(-merchant_rate[big], kind="stable")[:2]]

    scopes: list[tuple[int, int | None]] = [(int(catalog.sku_merchant[s]), int(s)) for s in chosen]
    scopes += [(int(m), None) for m in worst_merchants if m not in {mm for mm, _ in scopes}]
    effective = rng.random(len(scopes)) < 0.6
    if len(scopes) >= 2:
        effective[0], effective[1] = True, False
    actions = []
    early_lo, early_hi = min(100, n_days // 3), max(min(100, n_days // 3) + 1, n_days - 150)
    for i, (merchant, sku) in enumerate(scopes):
        late = rng.random() < 0.2
        day = rng.integers(early_hi, n_days - 10) if late and early_hi < n_days - 10 else None
        if day is None:
            day = rng.integers(early_lo, early_hi)
        opened = (
            start_s
            + int(day) * DAY
            + int(rng.integers(9, 18)) * 3600
            + int(rng.integers(0, 60)) * 60
        )
        completed = opened + int(rng.integers(7, 36)) * DAY + int(rng.integers(-5, 5)) * 3600
        completed_s = completed if completed <= start_s + n_days * DAY - 1 else None
        if sku is None:
            issue, action = "quality_defect", ("merchant_warning", "merchant_penalty")[i % 2]
        else:
            issue = ("quality_defect", "cosmetic_flaw")[int(rng.random() < 0.25)]
            kinds = (
                ("supplier_change", "process_fix", "incoming_inspection")
                if issue == "quality_defect"
                else ("packaging_fix", "incoming_inspection")
            )
            action = kinds[rng.integers(0, len(kinds))]
        factor = float(
            np.round(rng.uniform(0.2, 0.45) if effective[i] else rng.uniform(0.92, 1.08), 3)
        )
        actions.append(
            CorrectiveAction(
                action_id=f"CA{i + 1:05d}",
                merchant=merchant,
                sku=sku,
                issue_type=issue,
                action_type=str(action),
                opened_s=opened,
                completed_s=completed_s,
                effective=bool(effective[i]),
                factor=factor,
            )
        )
    return actions


def plan_bad_batches(
    rng: np.random.Generator,
    catalog: Catalog,
    lines_per_week: np.ndarray,
    actions: list[CorrectiveAction],
) -> list[BadBatch]:
    """2–4 consecutive order weeks at 4–8× the SKU's rate, only where the spike is unmistakable.

    Batches go to hit products only. A batch is planted on a SKU only if, in a quiet week, the
    expected confirmed defects of a batch week reach at least 10 and sit two Poisson sigmas above
    the SKU's 3-sigma upper limit; a few hit products stay clean so detectors can be wrong.
    Weeks at the start (no baseline yet) and the last eight (complaints not yet in) are avoided.
    """
    weeks = len(lines_per_week)
    first, last = 4, weeks - 8
    if last - first < 4:
        return []
    excluded_merchants = {a.merchant for a in actions if a.sku is None}
    excluded_skus = {a.sku for a in actions if a.sku is not None}
    low_week = float(np.quantile(lines_per_week[first:last], 0.25))
    n = low_week * catalog.sku_share
    lam0 = n * catalog.sku_propensity * CONFIRMED_SHARE
    ucl = lam0 + 3 * np.sqrt(lam0)
    plans = []
    for sku in rng.permutation(np.where(catalog.sku_hot)[0]):
        if sku in excluded_skus or catalog.sku_merchant[sku] in excluded_merchants:
            continue
        for mult in np.arange(4.0, 8.01, 0.5):
            lam = mult * lam0[sku]
            if (
                lam >= 10
                and lam - 2.0 * np.sqrt(lam) >= ucl[sku]
                and mult * catalog.sku_propensity[sku] <= 0.4
            ):
                plans.append((int(sku), float(mult)))
                break
    n_batches = max(int(catalog.sku_hot.sum()) - 3, 2)
    batches = []
    for sku, need in plans[:n_batches]:
        length = int(rng.integers(2, 5))
        starts = [
            w
            for w in range(first, last - length + 1)
            if (lines_per_week[w : w + length] >= low_week).all()
        ]
        start = int(starts[rng.integers(0, len(starts))]) if starts else first
        top = max(need, min(8.0, 0.4 / float(catalog.sku_propensity[sku])))
        mult = float(np.floor(rng.uniform(need, top) * 2) / 2)
        batches.append(
            BadBatch(sku=sku, weeks=tuple(range(start, start + length)), multiplier=mult)
        )
    return sorted(batches, key=lambda b: b.sku)


def line_propensity(
    catalog: Catalog,
    sku: np.ndarray,
    ordered_s: np.ndarray,
    week: int,
    batches: list[BadBatch],
    actions: list[CorrectiveAction],
) -> np.ndarray:
    """Probability that each order line draws a defect complaint."""
    p = catalog.sku_propensity[sku].copy()
    for batch in batches:
        if week in batch.weeks:
            p[sku == batch.sku] *= batch.multiplier
    for action in actions:
        if action.completed_s is None:
            continue
        scope = (
            catalog.sku_merchant[sku] == action.merchant
            if action.sku is None
            else sku == action.sku
        )
        p[scope & (ordered_s >= action.completed_s)] *= action.factor
    return np.minimum(p, 0.6)


REMEDY_FAILURE_REMEDIES = ("repair", "exchange")


def plan_remedy_failure_rates(rng: np.random.Generator, n_merchants: int) -> np.ndarray:
    """Chance, per merchant, that a repair or exchange does not fix the buyer's problem.

    Most merchants fail about 2 % of them; roughly one in eight fails about 25 % (sloppy repairs,
    replacement units from the same bad stock). At least one of each kind when there are 5+
    merchants, so the recurrence pages have something to find.
    """
    poor = rng.random(n_merchants) < 0.12
    if n_merchants >= 5:
        if not poor.any():
            poor[rng.integers(0, n_merchants)] = True
        if poor.all():
            poor[rng.integers(0, n_merchants)] = False
    return np.where(poor, 0.25, 0.02)


def remedy_failures(
    rng: np.random.Generator,
    remedy: np.ndarray,
    withdrawn: np.ndarray,
    closed_at: np.ndarray,
    fail_rate: np.ndarray,
    as_of_s: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Which closed complaints come back, and when the same buyer complains again.

    A complaint closed after a repair or exchange fails with its merchant's rate; the buyer
    complains again about the same order line (same SKU and issue) 3 to 60 days after the close.
    Returns the indices of the failed complaints and the follow-ups' receipt times (only those
    received by the export moment).
    """
    candidate = np.isin(remedy, REMEDY_FAILURE_REMEDIES) & ~withdrawn & (closed_at >= 0)
    fails = candidate & (rng.random(len(remedy)) < fail_rate)
    idx = np.where(fails)[0]
    received = closed_at[idx] + (rng.uniform(3, 60, len(idx)) * DAY).astype(np.int64)
    # buyers complain in waking hours
    hour = (received // 3600) % 24
    received = np.where(hour < 8, received + (8 - hour) * 3600, received)
    keep = received <= as_of_s
    return idx[keep], received[keep]


STRONG_REMEDIES = ("return_refund", "exchange", "repair")
WEAK_REMEDY_SHARE = 0.7  # the weak merchant's strong remedies it swaps for a partial refund
LAB_SHARE_IN_BATCH = 0.7  # defect complaints on a bad batch that go to a lab test
INFO_UNANSWERED_SHARE = 0.12  # information requests the buyer never answers
COUNTERFEIT_PAID_BELOW = 400.0  # the under-compensated case pays 1x, below 3x and the 500 CNY floor


def plan_weak_remedy_merchant(catalog: Catalog, remedy_fail_rate: np.ndarray) -> int:
    """The merchant that imposes partial refunds where the law gives return, exchange or repair.

    The largest merchant that is neither slow with evidence nor a poor repairer, so each planted
    pattern is found on its own and the merchant has the volume to be ranked.
    """
    eligible = ~catalog.merchant_slow & (remedy_fail_rate <= 0.1)
    if not eligible.any():
        eligible = np.ones(len(catalog.merchant_share), dtype=bool)
    share = np.where(eligible, catalog.merchant_share, -1.0)
    return int(np.argmax(share))


def impose_weaker_remedies(
    rng: np.random.Generator, c: Complaints, weak: np.ndarray, paid: np.ndarray
) -> np.ndarray:
    """The weak merchant's complaints: most strong remedies become a partial refund that the
    buyer never accepts (no ``remedy_accepted``), so they fall below entitlement. Counterfeits
    are left alone (their compensation is planted separately). Mutates ``c``; returns the mask."""
    draw = rng.random(len(c))
    hit = (
        weak
        & np.isin(c.remedy, STRONG_REMEDIES)
        & (c.issue != "counterfeit")
        & (draw < WEAK_REMEDY_SHARE)
    )
    c.remedy[hit] = "partial_refund"
    c.refund[hit] = np.round(paid[hit] * (0.1 + 0.3 * draw[hit] / WEAK_REMEDY_SHARE), 2)
    c.compensation[hit] = 0.0
    c.imposed[hit] = True
    c.satisfaction_base[hit] = 2.4
    return hit


def plant_lab_tests_and_silence(
    rng: np.random.Generator, c: Complaints, batch_skus: np.ndarray, sku: np.ndarray
) -> np.ndarray:
    """Defect complaints on a bad batch mostly go to a lab test (the guide: test the same batch);
    some information requests are never answered. Mutates ``c``; returns the bad-batch mask."""
    draw = rng.random((len(c), 2))
    on_batch = np.isin(sku, batch_skus) & np.isin(
        c.issue, ["quality_defect", "cosmetic_flaw", "counterfeit"]
    )
    c.needs_lab |= on_batch & (draw[:, 0] < LAB_SHARE_IN_BATCH)
    c.info_unanswered |= c.needs_info & (draw[:, 1] < INFO_UNANSWERED_SHARE)
    return on_batch


def under_compensate_counterfeit(
    c: Complaints, paid: np.ndarray, latest_received_s: int
) -> int | None:
    """One confirmed counterfeit refunded with compensation of 1x the paid amount (below 3x and
    the 500 CNY floor), imposed without the buyer's acceptance. Returns its index, if any."""
    candidate = (
        (c.issue == "counterfeit")
        & (c.remedy == "return_refund")
        & (c.responsibility == "merchant")
        & (c.withdraw_stage < 0)
        & ~c.reopens
        & (c.received <= latest_received_s)
        & (paid < COUNTERFEIT_PAID_BELOW)
    )
    found = np.where(candidate)[0]
    if len(found) == 0:
        return None
    i = int(found[0])
    c.compensation[i] = round(float(paid[i]), 2)
    c.imposed[i] = True
    c.satisfaction_base[i] = 2.0
    return i
