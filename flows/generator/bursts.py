"""A planted term burst: a new supplier's batch that buyers describe with a word of its own.

The burst rides on one planted bad batch (the one with the most expected defect complaints a
week): most of the batch's quality-defect complaints are described with 异味 (an odd smell after a
supplier change) instead of the category's usual symptoms. Only the texts change, so every count
the other patterns plant stays as it was; the ground truth lists how many planted descriptions
were received in each week, so a detector can be judged week by week.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from flows.generator.catalog import Catalog
from flows.generator.planted import BadBatch

BURST_TERM = "异味"
BURST_SHARE = 0.85  # share of the batch's quality-defect complaints that mention the term
TEMPLATES = [
    "换了供应商之后这批{l2}有股刺鼻的异味，和以前买的不一样",
    "新到的{l2}异味很重，放了几天都散不掉",
    "{l2}拆开就是一股塑料异味，不敢给家人用，要求退货",
    "这次的{l2}有异味，怀疑换了材料",
]


@dataclass(frozen=True)
class TermBurst:
    sku: int
    term: str
    weeks: tuple[int, ...]  # order weeks, those of the bad batch it rides on


def plan_term_burst(
    catalog: Catalog, lines_per_week: np.ndarray, batches: list[BadBatch]
) -> TermBurst | None:
    """The batch with the most expected defect complaints per week carries the burst."""
    if not batches:
        return None
    typical = float(np.median(lines_per_week)) * catalog.sku_share
    loudest = max(
        batches,
        key=lambda b: (b.multiplier * catalog.sku_propensity[b.sku] * typical[b.sku], -b.sku),
    )
    return TermBurst(sku=loudest.sku, term=BURST_TERM, weeks=loudest.weeks)


def apply_term_burst(
    rng: np.random.Generator,
    burst: TermBurst | None,
    week: int,
    sku: np.ndarray,
    issue: np.ndarray,
    l2: list[str],
    texts: list[str],
    has_phone: np.ndarray,
) -> np.ndarray:
    """Rewrite, in place, the burst's complaints among one chunk's texts; returns which.

    Texts carrying a phone number are left alone: the ground truth counts those.
    """
    planted = np.zeros(len(texts), dtype=bool)
    if burst is None or week not in burst.weeks:
        return planted
    picks = rng.random((len(texts), 2))
    planted = (sku == burst.sku) & (issue == "quality_defect") & (picks[:, 0] < BURST_SHARE)
    planted &= ~has_phone
    for i in np.where(planted)[0]:
        texts[i] = TEMPLATES[int(picks[i, 1] * len(TEMPLATES))].format(l2=l2[i])
    return planted
