"""One merchant's scorecard as a self-contained HTML page (inline CSS and SVG, no external URL)."""

from __future__ import annotations

from datetime import datetime

from flows import formatting as fmt
from flows.config import Settings
from flows.scorecard.cards import MerchantCard, with_small_rates_blanked
from flows.scorecard.charts import trend_svg
from flows.scorecard.labels import Labels
from flows.scorecard.ranked_lists import ranked_items
from flows.scorecard.rendering import environment
from flows.scorecard.weeks import IsoWeek

MAX_ROWS = 8  # rows per list on the card, so it stays on one A4 page
MAX_SKUS = 5


def render_card(
    card: MerchantCard,
    week: IsoWeek,
    as_of: datetime,
    timezone: str,
    settings: Settings,
    labels: Labels,
) -> str:
    """The card's HTML; every number is printed next to its mart value (``data-value``, to 15
    significant digits).
    Rates on fewer than ``min_rate_base`` cases are blanked, with a note."""
    card = with_small_rates_blanked(card, settings.min_rate_base)
    row, prev = card.row, card.previous
    active = [r for r in card.trend if (r.get("order_lines") or 0) > 0]
    evidence_change = fmt.DASH
    if prev and not fmt.is_missing(prev.get("merchant_evidence_on_time_rate")):
        current = row.get("merchant_evidence_on_time_rate")
        if not fmt.is_missing(current):
            evidence_change = fmt.points(current - prev["merchant_evidence_on_time_rate"])
    chart = trend_svg(
        card.trend,
        title=labels.fmt("trend", n=settings.scorecard_trend_weeks),
        median_label=labels["category_median_defect_rate"],
        immature_label=labels["immature"],
        week_tick=labels["week_tick"],
    )
    template = environment().get_template("scorecard.html.j2")
    return template.render(
        card=card,
        prev=prev,
        week=week,
        as_of=fmt.local_time(as_of, timezone),
        tz=timezone,
        L=labels,
        fmt=fmt,
        currency=settings.currency,
        chart=chart,
        trend_weeks=settings.scorecard_trend_weeks,
        sku_window_weeks=settings.reco_sku_window_weeks,
        sla_target=settings.reco_sla_target_rate,
        last_active=active[-1]["iso_week"] if active else None,
        evidence_change=evidence_change,
        recommendations=card.recommendations,
        top_issue_types=ranked_items(row.get("top_issue_types"), labels),
        top_skus=ranked_items(
            row.get("top_skus"),
            labels,
            {sku["sku_id"]: sku["sku_name"] for sku in card.skus if sku.get("sku_name")},
        ),
        skus=card.skus[:MAX_SKUS],
        more_skus=max(0, len(card.skus) - MAX_SKUS),
        overdue=card.overdue[:MAX_ROWS],
        more_overdue=max(0, len(card.overdue) - MAX_ROWS),
        max_rows=MAX_ROWS,
        min_rate=settings.min_rate_base,
        sla_measured=any((stage["n_measured"] or 0) > 0 for stage in card.sla),
    )
