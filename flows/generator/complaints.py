"""Which order lines draw complaints, and each complaint's final attributes.

Defect complaints come from the line's latent propensity; the other issue types have their own
rates (transport damage by carrier, misunderstandings by category). Issue decides responsibility;
issue and severity decide the remedy and the amounts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from flows.generator.catalog import CATEGORY_NAMES
from flows.generator.orders import HOUR, OrderLines
from flows.generator.vocabulary import CARRIERS

ISSUES = np.array(
    [
        "quality_defect",
        "cosmetic_flaw",
        "counterfeit",
        "transport_damage",
        "misuse",
        "misunderstanding",
        "other",
    ]
)
DEFECT_MIX = {  # quality_defect, cosmetic_flaw, counterfeit
    "家用电器": (0.78, 0.20, 0.02),
    "数码3C": (0.62, 0.20, 0.18),
    "服饰鞋包": (0.45, 0.45, 0.10),
    "美妆个护": (0.50, 0.15, 0.35),
    "食品生鲜": (0.80, 0.18, 0.02),
    "母婴玩具": (0.65, 0.25, 0.10),
    "家居家装": (0.60, 0.38, 0.02),
}
# per line: transport_damage, misuse, misunderstanding, other
OTHER_RATES = {
    "家用电器": (0.0060, 0.0040, 0.0040, 0.0020),
    "数码3C": (0.0040, 0.0045, 0.0050, 0.0020),
    "服饰鞋包": (0.0012, 0.0010, 0.0090, 0.0020),
    "美妆个护": (0.0030, 0.0020, 0.0040, 0.0020),
    "食品生鲜": (0.0080, 0.0005, 0.0030, 0.0025),
    "母婴玩具": (0.0035, 0.0030, 0.0050, 0.0020),
    "家居家装": (0.0050, 0.0020, 0.0050, 0.0020),
}
RESPONSIBILITY = {
    "quality_defect": (("merchant", "undetermined", "platform"), (0.9, 0.06, 0.04)),
    "cosmetic_flaw": (("merchant", "undetermined", "platform"), (0.9, 0.06, 0.04)),
    "counterfeit": (("merchant", "undetermined", "platform"), (0.9, 0.06, 0.04)),
    "transport_damage": (("logistics", "merchant", "undetermined"), (0.93, 0.05, 0.02)),
    "misuse": (("buyer", "undetermined"), (0.9, 0.1)),
    "misunderstanding": (("buyer", "merchant", "undetermined"), (0.75, 0.15, 0.1)),
    "other": (("platform", "undetermined", "merchant"), (0.5, 0.3, 0.2)),
}
REMEDIES = (
    "return_refund",
    "exchange",
    "repair",
    "partial_refund",
    "return_shipping_refund",
    "none",
    "rejected",
)
REMEDY_MIX = {  # (issue, major) -> weights over REMEDIES
    ("quality_defect", True): (0.6, 0.25, 0.15, 0, 0, 0, 0),
    ("quality_defect", False): (0.15, 0.4, 0.2, 0.25, 0, 0, 0),
    ("cosmetic_flaw", True): (0.4, 0.4, 0, 0.2, 0, 0, 0),
    ("cosmetic_flaw", False): (0.05, 0.3, 0, 0.6, 0, 0.05, 0),
    ("counterfeit", True): (0.9, 0, 0, 0, 0, 0, 0.1),
    ("counterfeit", False): (0.9, 0, 0, 0, 0, 0, 0.1),
    ("transport_damage", True): (0.5, 0.45, 0, 0.05, 0, 0, 0),
    ("transport_damage", False): (0.1, 0.3, 0, 0.6, 0, 0, 0),
    ("misuse", False): (0, 0, 0.35, 0, 0, 0.15, 0.5),
    ("misunderstanding", False): (0.1, 0.15, 0, 0, 0.45, 0.15, 0.15),
    ("other", False): (0, 0, 0, 0.35, 0, 0.5, 0.15),
}
MAJOR_SHARE = {
    "quality_defect": 0.35,
    "cosmetic_flaw": 0.1,
    "counterfeit": 1.0,
    "transport_damage": 0.4,
}
CHANNELS = np.array(["app", "web_form", "hotline", "social_media"])
CHANNEL_P = np.array([0.55, 0.15, 0.2, 0.1])
CARRIER_DAMAGE = np.array([v[2] for v in CARRIERS.values()])
LAG_MEDIAN_HOURS = {"transport_damage": 20.0, "misunderstanding": 48.0}


@dataclass
class Complaints:
    """Final attributes of the complaints drawn from one week's order lines."""

    line: np.ndarray  # index into the week's order lines
    issue: np.ndarray  # true cause (what classification will say)
    responsibility: np.ndarray
    remedy: np.ndarray
    major: np.ndarray
    channel: np.ndarray
    received: np.ndarray
    refund: np.ndarray
    compensation: np.ndarray
    evidence_count: np.ndarray
    withdraw_stage: np.ndarray  # -1 = never withdrawn, else step after which the buyer withdraws
    needs_info: np.ndarray
    needs_lab: np.ndarray
    reopens: np.ndarray
    satisfaction_base: np.ndarray
    # planted (flows/generator/planted.py): a remedy the buyer never accepted (imposed), and an
    # information request the buyer never answered
    imposed: np.ndarray
    info_unanswered: np.ndarray

    def __len__(self) -> int:
        return len(self.line)


def _pick(rng: np.random.Generator, keys: np.ndarray, table: dict, out_dtype=object) -> np.ndarray:
    out = np.empty(len(keys), dtype=out_dtype)
    for key in np.unique(keys):
        mask = keys == key
        values, weights = table[key]
        w = np.asarray(weights, dtype=float)
        out[mask] = np.asarray(values)[rng.choice(len(values), int(mask.sum()), p=w / w.sum())]
    return out


def draw_complaints(
    rng: np.random.Generator,
    lines: OrderLines,
    sku_category: np.ndarray,
    propensity: np.ndarray,
    as_of_s: int,
) -> Complaints:
    """At most one complaint per delivered line; received after delivery and before the export."""
    n = len(lines)
    cat = sku_category[lines.sku]
    other = np.array([OTHER_RATES[c] for c in CATEGORY_NAMES])[cat]
    other[:, 0] *= CARRIER_DAMAGE[lines.carrier]
    u = rng.random(n)
    defect = u < propensity
    cum_other = propensity[:, None] + np.cumsum(other, axis=1)
    other_kind = (u[:, None] >= cum_other).sum(axis=1)  # 0..3 when u falls in the other band
    complained = (defect | (other_kind < 4)) & (lines.delivered >= 0)
    idx = np.where(complained)[0]
    m = len(idx)
    issue = np.empty(m, dtype=object)
    is_defect = defect[idx]
    mix = np.array([DEFECT_MIX[c] for c in CATEGORY_NAMES])[cat[idx]]
    pick = (rng.random(m)[:, None] >= np.cumsum(mix, axis=1)).sum(axis=1).clip(0, 2)
    issue[is_defect] = ISSUES[pick[is_defect]]
    issue[~is_defect] = ISSUES[3 + other_kind[idx][~is_defect]]

    med = np.array([LAG_MEDIAN_HOURS.get(i, 72.0) for i in issue])
    lag = np.clip(rng.lognormal(np.log(med), 0.8), 0.25, 60 * 24) * HOUR
    received = lines.delivered[idx] + lag.astype(np.int64)
    # buyers complain in waking hours: push night-time arrivals into the morning
    hour = (received // HOUR) % 24
    night = hour < 8
    received[night] += (8 - hour[night]) * HOUR + rng.integers(0, 3 * HOUR, int(night.sum()))
    keep = received <= as_of_s
    idx, issue, received = idx[keep], issue[keep], received[keep]
    m = len(idx)

    major = rng.random(m) < np.array([MAJOR_SHARE.get(i, 0.0) for i in issue])
    responsibility = _pick(rng, issue, RESPONSIBILITY)
    remedy_key = np.array([f"{i}|{int(j)}" for i, j in zip(issue, major, strict=True)])
    remedy_table = {
        f"{i}|{int(j)}": (REMEDIES, REMEDY_MIX.get((i, bool(j)), REMEDY_MIX.get((i, False))))
        for i, j in {(a, b) for a, b in zip(issue, major, strict=True)}
    }
    remedy = _pick(rng, remedy_key, remedy_table) if m else np.empty(0, dtype=object)

    paid = lines.paid[idx]
    refund = np.zeros(m)
    refund[remedy == "return_refund"] = paid[remedy == "return_refund"]
    part = remedy == "partial_refund"
    refund[part] = np.round(paid[part] * rng.uniform(0.1, 0.4, int(part.sum())), 2)
    ship = remedy == "return_shipping_refund"
    refund[ship] = np.minimum(paid[ship], rng.integers(8, 19, int(ship.sum())).astype(float))
    compensation = np.zeros(m)
    fake = (issue == "counterfeit") & (remedy == "return_refund")
    compensation[fake] = np.round(paid[fake] * 3, 2)
    dmg = (issue == "transport_damage") & (rng.random(m) < 0.3)
    compensation[dmg] = rng.integers(5, 31, int(dmg.sum())).astype(float)

    withdraw_p = np.where(issue == "misunderstanding", 0.12, 0.03)
    withdraw = rng.random(m) < withdraw_p
    withdraw_stage = np.where(withdraw, rng.choice([1, 4, 5], m), -1)
    sat_base = {
        "return_refund": 4.4,
        "exchange": 4.0,
        "repair": 3.4,
        "partial_refund": 3.6,
        "return_shipping_refund": 3.9,
        "none": 2.6,
        "rejected": 1.8,
    }
    return Complaints(
        line=idx,
        issue=issue,
        responsibility=responsibility,
        remedy=remedy,
        major=major,
        channel=CHANNELS[rng.choice(4, m, p=CHANNEL_P)],
        received=received,
        refund=refund,
        compensation=compensation,
        evidence_count=np.where(
            np.isin(issue, ["misunderstanding", "other"]),
            rng.integers(0, 2, m),
            rng.poisson(2.2, m),
        ),
        withdraw_stage=withdraw_stage,
        needs_info=rng.random(m) < 0.2,
        needs_lab=np.isin(issue, ["quality_defect", "counterfeit"]) & (rng.random(m) < 0.12),
        reopens=(withdraw_stage < 0) & (rng.random(m) < 0.05),
        satisfaction_base=np.array([sat_base[r] for r in remedy], dtype=float),
        imposed=np.zeros(m, dtype=bool),
        info_unanswered=np.zeros(m, dtype=bool),
    )


def follow_up_complaints(
    c: Complaints, failed: np.ndarray, received: np.ndarray, paid: np.ndarray
) -> Complaints:
    """The buyer's second complaint after a failed repair or exchange: the same order line and
    issue, received at ``received``; this time the merchant takes the item back (return and
    refund), the buyer never withdraws and nothing is reopened, so each failure recurs once."""
    m = len(failed)
    line = c.line[failed]
    return Complaints(
        line=line,
        issue=c.issue[failed],
        responsibility=c.responsibility[failed],
        remedy=np.full(m, "return_refund", dtype=object),
        major=c.major[failed],
        channel=c.channel[failed],
        received=received,
        refund=paid[line].astype(float),
        compensation=np.zeros(m),
        evidence_count=c.evidence_count[failed],
        withdraw_stage=np.full(m, -1),
        needs_info=np.zeros(m, dtype=bool),
        needs_lab=np.zeros(m, dtype=bool),
        reopens=np.zeros(m, dtype=bool),
        satisfaction_base=np.full(m, 2.8),
        imposed=np.zeros(m, dtype=bool),
        info_unanswered=np.zeros(m, dtype=bool),
    )
