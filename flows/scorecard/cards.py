"""The in-memory scorecard: what one merchant's card shows, as read from the marts."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flows import formatting as fmt
from flows.scorecard.weeks import IsoWeek

Row = dict[str, Any]


@dataclass(frozen=True)
class Recommendation:
    """One concrete action, the rule that produced it and how urgent it is (1 = most)."""

    rule: str
    priority: int
    text: str
    subject: str = ""


@dataclass
class MerchantCard:
    """Everything one merchant's scorecard shows; every number is a mart value."""

    row: Row  # marts.merchant_scorecard_weekly for the week
    previous: Row | None  # the same mart, the week before
    trend: list[Row]  # the same mart, oldest first, ending with the week
    skus: list[Row]  # one row per SKU: the week's and the window's defect numbers
    sla: list[Row]  # one row per stage: scorecard counts plus the status breakdown
    overdue: list[Row]  # open-and-overdue stages of counted complaints (as of the build)
    recurrences: list[Row]
    actions: list[Row]
    # Median of the mart's weekly category_median_defect_rate over the recommendation window:
    # the category's typical defect rate that the SKU rule compares against.
    category_window_median: float | None = None
    recommendations: list[Recommendation] = field(default_factory=list)
    # Legal entitlements: the week's checked/below counts and its below-entitlement complaints
    # (marts.legal_compliance_weekly and legal_entitlement_checks; empty in older warehouses).
    legal_counts: Row | None = None
    legal_below: list[Row] = field(default_factory=list)
    orders_loaded: bool = True  # False: no order export loaded at all (complaint-only source)

    @property
    def merchant_id(self) -> str:
        return self.row["merchant_id"]

    @property
    def merchant_name(self) -> str:
        return self.row.get("merchant_name") or self.row["merchant_id"]

    @property
    def category(self) -> str:
        return self.row.get("category") or ""

    @property
    def has_orders(self) -> bool:
        """Orders placed this week. The mart's ``has_activity`` is also true for a week with
        complaints but no orders; without orders there is no defect rate, so the card says
        "no activity" instead of showing empty rates."""
        return (self.row.get("order_lines") or 0) > 0


@dataclass
class CategoryCards:
    category: str
    merchants: list[MerchantCard]


@dataclass
class WeekCards:
    """The scorecards of one ISO week, per category, with the build they were read from."""

    week: IsoWeek
    as_of: datetime
    timezone: str
    categories: list[CategoryCards]

    def all_cards(self) -> list[MerchantCard]:
        return [card for category in self.categories for card in category.merchants]


def with_small_rates_blanked(card: MerchantCard, minimum: int) -> MerchantCard:
    """The card as its faces show it (HTML, XLSX): every rate resting on fewer than ``minimum``
    cases set to None, so it reads "—" / an empty cell, never a number (``fmt.RATE_BASES``), and
    no week-on-week change from a previous week below the minimum. Recommendations were drawn
    from the mart values under their own minimums and are kept."""

    def blank(rows: list[Row]) -> list[Row]:
        return [fmt.blank_small_rate_row(row, minimum) for row in rows]

    row = fmt.blank_small_rate_row(card.row, minimum)
    previous = fmt.blank_small_rate_row(card.previous, minimum) if card.previous else None
    if previous is not None and fmt.too_few(previous.get("order_lines"), minimum):
        row["defect_rate_wow_change"] = None
    return dataclasses.replace(
        card,
        row=row,
        previous=previous,
        trend=blank(card.trend),
        skus=blank(card.skus),
        sla=blank(card.sla),
        actions=blank(card.actions),
    )
