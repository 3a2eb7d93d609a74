"""Reads one week's scorecards from the marts (read-only, short-lived, parameterised SQL).

Numbers are taken as the marts store them; the only arithmetic here is re-aggregating stored
numerators and denominators (a SKU's defect lines ÷ order lines over the recommendation window),
which the marts keep precisely so that rates re-aggregate.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from flows.config import CHANNELS, SLA_STAGES, Settings
from flows.errors import UserError
from flows.i18n import say
from flows.scorecard.cards import CategoryCards, MerchantCard, Row, WeekCards
from flows.scorecard.weeks import IsoWeek, last_complete_week
from flows.warehouse import read_only

_BUILD_INFO = "select as_of, timezone from marts.build_info limit 1"

_SCORECARDS = """
    select *
    from marts.merchant_scorecard_weekly
    where week_start between $first_week and $week
        and ($category is null or category = $category)
    order by category, merchant_id, week_start
"""

_WEEKS_AVAILABLE = """
    select min(iso_week), max(iso_week), count(distinct iso_week)
    from marts.merchant_scorecard_weekly
"""

_SKUS = """
    select
        merchant_id,
        sku_id,
        any_value(sku_name) as sku_name,
        sum(order_lines) filter (where order_week = $week) as week_order_lines,
        sum(defect_lines) filter (where order_week = $week) as week_defect_lines,
        any_value(defect_rate) filter (where order_week = $week) as week_defect_rate,
        bool_and(is_mature) filter (where order_week = $week) as week_is_mature,
        sum(order_lines) as window_order_lines,
        sum(defect_lines) as window_defect_lines,
        sum(complaint_lines) as window_complaint_lines,
        bool_and(is_mature) as window_is_mature
    from marts.sku_defect_rates_weekly
    where order_week between $first_week and $week
        and ($category is null or category = $category)
    group by merchant_id, sku_id
"""

_SLA_BREAKDOWN = """
    select
        merchant_id,
        stage,
        sum(n_breached) as n_breached,
        sum(n_open_overdue) as n_open_overdue,
        sum(n_open_not_due) as n_open_not_due,
        sum(n_not_started) as n_not_started
    from marts.sla_compliance_merchant_weekly
    where received_week = $week
        and ($category is null or category = $category)
    group by merchant_id, stage
"""

_OVERDUE = """
    select
        complaint_id, merchant_id, sku_id, sku_name, channel, complaint_status as status,
        received_at, stage, deadline_at, overdue_hours
    from marts.sla_late_stages
    where sla_status = 'open_overdue'
        and ($category is null or category = $category)
"""

_RECURRENCES = """
    select
        recurrence.complaint_id,
        recurrence.merchant_id,
        recurrence.sku_id,
        recurrence.issue_type,
        recurrence.closed_at,
        recurrence.recurred_by_complaint_id,
        recurrence.days_to_recurrence,
        recurrence.is_defect_issue,
        recurring.received_at as recurred_at,
        recurring.sku_name
    from marts.complaint_recurrence as recurrence
    inner join marts.complaints as recurring
        on recurring.complaint_id = recurrence.recurred_by_complaint_id
    where recurrence.has_recurred
        and recurring.received_week between $first_week and $week
        and ($category is null or recurrence.category = $category)
    order by recurring.received_at desc, recurrence.complaint_id
"""

_ACTIONS = """
    select *
    from marts.corrective_action_effectiveness
    where opened_at < $week_end
        and ($category is null or category = $category)
    order by opened_at desc
"""


# Significant digits a scorecard carries of a float the marts hold (docs/decisions.md, "Scorecard
# floats to 12 significant digits"): the engines' exp and ln differ in the last bit, so a p-value
# built on DuckDB and on Spark can differ in its 16th digit; 12 digits are far beyond any shown
# number, and a card (HTML and workbook) then reads the same whichever engine built the marts.
CARD_DIGITS = 12


def card_value(value: Any) -> Any:
    """A mart value as the scorecards carry it: floats to CARD_DIGITS significant digits."""
    if isinstance(value, float) and math.isfinite(value):
        return float(f"{value:.{CARD_DIGITS}g}")
    return value


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> list[Row]:
    # Bind only the parameters a statement uses (DuckDB rejects unused named parameters).
    named = set(re.findall(r"\$(\w+)", sql))
    used = {key: value for key, value in params.items() if key in named}
    cursor = con.execute(sql, used)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, map(card_value, values), strict=True)) for values in cursor.fetchall()]


def read_build_info(warehouse: Path) -> tuple[datetime, str]:
    """The build's ``as_of`` and time zone (marts.build_info)."""
    with read_only(warehouse) as con:
        try:
            row = con.execute(_BUILD_INFO).fetchone()
        except duckdb.CatalogException:
            raise UserError("err_no_build_info", path=warehouse) from None
    if row is None or row[0] is None:
        raise UserError("err_build_info_no_as_of", path=warehouse)
    return row[0], row[1]


def resolve_week(warehouse: Path, week: str | None, settings: Settings) -> IsoWeek:
    """The requested week, or the last complete ISO week before the build's ``as_of``."""
    if week:
        return IsoWeek.parse(week)
    as_of, timezone = read_build_info(warehouse)
    return last_complete_week(as_of, timezone or settings.timezone)


def load_week(
    warehouse: Path, week: IsoWeek, settings: Settings, category: str | None = None
) -> WeekCards:
    """Every merchant's card for ``week`` (optionally one category), grouped by category."""
    as_of, timezone = read_build_info(warehouse)
    timezone = timezone or settings.timezone
    span = max(settings.scorecard_trend_weeks, settings.reco_sku_window_weeks, 1)
    params = {
        "week": week.start,
        "first_week": week.shifted(-(span - 1)).start,
        "week_end": week.end_instant(timezone),
        "category": category,
    }
    with read_only(warehouse) as con:
        scorecards = _rows(con, _SCORECARDS, params)
        current = [row for row in scorecards if row["week_start"] == week.start]
        if not current:
            _raise_no_rows(con, week, category)
        sku_first = week.shifted(-(settings.reco_sku_window_weeks - 1)).start
        sku_params = {**params, "first_week": sku_first}
        skus = _rows(con, _SKUS, sku_params)
        breakdown = _rows(con, _SLA_BREAKDOWN, params)
        targets = _sla_targets(con)
        legal_counts, legal_below = _legal(con, params)
        overdue = _rows(con, _OVERDUE, params)
        recurrences = _rows(con, _RECURRENCES, params)
        actions = _rows(con, _ACTIONS, params)
        (orders_loaded,) = con.execute(_ORDERS_LOADED).fetchone()
    cards = _assemble(
        week,
        as_of,
        timezone,
        settings,
        scorecards,
        skus,
        breakdown,
        overdue,
        recurrences,
        actions,
        targets,
        (legal_counts, legal_below),
    )
    for category_cards in cards.categories:
        for card in category_cards.merchants:
            card.orders_loaded = bool(orders_loaded)
    return cards


# A complaint-only source: no order lines at all, so every rate is absent (the cards say why).
_ORDERS_LOADED = "select coalesce(max(order_lines), 0) > 0 from marts.merchant_scorecard_weekly"


_LEGAL_COUNTS = """
    select merchant_id, sum(n_checked) as n_checked, sum(n_entitled) as n_entitled,
        sum(n_below) as n_below, sum(compensation_shortfall) as compensation_shortfall
    from marts.legal_compliance_weekly
    where received_week = $week and ($category is null or category = $category)
    group by merchant_id
"""

_LEGAL_BELOW = """
    select merchant_id, complaint_id, sku_id, below_rule, entitled_remedy, remedy_given,
        compensation_shortfall
    from marts.legal_entitlement_checks
    where is_below_entitlement and received_week = $week
        and ($category is null or category = $category)
    order by compensation_shortfall desc nulls last, complaint_id
"""


def _has_mart(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    (present,) = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'marts' and table_name = ?",
        [name],
    ).fetchone()
    return bool(present)


def _legal(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> tuple[list[Row], list[Row]]:
    """The week's legal-entitlement counts and below-entitlement complaints (none in a
    warehouse built before the legal marts existed)."""
    if not _has_mart(con, "legal_compliance_weekly"):
        return [], []
    week = {"week": params["week"], "category": params["category"]}
    return _rows(con, _LEGAL_COUNTS, week), _rows(con, _LEGAL_BELOW, week)


def _sla_targets(con: duckdb.DuckDBPyConnection) -> dict[str, list[Row]]:
    """Per stage, the channels' targets with their units (marts.sla_targets; none in a
    warehouse built before the mart existed, so such cards simply show no target)."""
    if not _has_mart(con, "sla_targets"):
        return {}
    rows = _rows(
        con,
        "select stage, channel, target_value, target_unit from marts.sla_targets",
        {},
    )
    order = {channel: i for i, channel in enumerate(CHANNELS)}
    rows.sort(key=lambda r: (r["stage"], order.get(r["channel"], len(order)), r["channel"]))
    return _group(rows, "stage")


def _raise_no_rows(con: duckdb.DuckDBPyConnection, week: IsoWeek, category: str | None) -> None:
    first, last, n_weeks = con.execute(_WEEKS_AVAILABLE).fetchone()
    if not n_weeks:
        raise UserError("err_scorecards_empty")
    known = _categories(con)
    if category is not None and category not in known:
        raise UserError("err_unknown_category", category=repr(category), known=", ".join(known))
    where = say("err_in_category", category=repr(category)) if category else ""
    raise UserError("err_no_scorecard_rows", week=week, where=where, first=first, last=last)


_CATEGORIES = """
    select distinct category from marts.merchant_scorecard_weekly
    where category is not null order by category
"""


def _categories(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [row[0] for row in con.execute(_CATEGORIES).fetchall()]


def scorecard_categories(warehouse: Path) -> list[str]:
    """Every category the scorecard mart knows (to check a recipients file against)."""
    with read_only(warehouse) as con:
        return _categories(con)


def _group(rows: list[Row], key: str = "merchant_id") -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def _assemble(
    week: IsoWeek,
    as_of: datetime,
    timezone: str,
    settings: Settings,
    scorecards: list[Row],
    skus: list[Row],
    breakdown: list[Row],
    overdue: list[Row],
    recurrences: list[Row],
    actions: list[Row],
    targets: dict[str, list[Row]] | None = None,
    legal: tuple[list[Row], list[Row]] = ([], []),
) -> WeekCards:
    history = _group(scorecards)
    skus_by = _group(skus)
    breakdown_by = _group(breakdown)
    overdue_by = _group(overdue)
    recurrences_by = _group(recurrences)
    actions_by = _group(actions)
    legal_counts_by = {row["merchant_id"]: row for row in legal[0]}
    legal_below_by = _group(legal[1])
    trend_first = week.shifted(-(settings.scorecard_trend_weeks - 1)).start
    window_first = week.shifted(-(settings.reco_sku_window_weeks - 1)).start
    by_category: dict[str, list[MerchantCard]] = defaultdict(list)
    for merchant_id, rows in history.items():
        row = next((r for r in rows if r["week_start"] == week.start), None)
        if row is None:  # the merchant has history but no row this week: not on this week's list
            continue
        previous = next((r for r in rows if r["week_start"] == week.shifted(-1).start), None)
        card = MerchantCard(
            row=row,
            previous=previous,
            trend=[r for r in rows if trend_first <= r["week_start"] <= week.start],
            skus=_sku_rows(skus_by.get(merchant_id, [])),
            sla=_sla_rows(row, breakdown_by.get(merchant_id, []), targets or {}),
            overdue=sorted(
                overdue_by.get(merchant_id, []),
                key=lambda r: (-(r["overdue_hours"] or 0), r["complaint_id"], r["stage"]),
            ),
            recurrences=recurrences_by.get(merchant_id, []),
            actions=actions_by.get(merchant_id, []),
            legal_counts=legal_counts_by.get(merchant_id),
            legal_below=legal_below_by.get(merchant_id, []),
            category_window_median=_median(
                r.get("category_median_defect_rate")
                for r in rows
                if window_first <= r["week_start"] <= week.start
            ),
        )
        by_category[row.get("category") or ""].append(card)
    categories = [
        CategoryCards(category=name, merchants=sorted(cards, key=lambda c: c.merchant_id))
        for name, cards in sorted(by_category.items())
    ]
    return WeekCards(week=week, as_of=as_of, timezone=timezone, categories=categories)


def _median(values: Iterable[float | None]) -> float | None:
    present = [float(v) for v in values if v is not None and v == v]
    return statistics.median(present) if present else None


def _sku_rows(rows: list[Row]) -> list[Row]:
    """The merchant's SKUs, worst first, each with its pooled defect rate over the window."""
    out = []
    for row in rows:
        lines = row["window_order_lines"] or 0
        defects = row["window_defect_lines"] or 0
        out.append({**row, "window_defect_rate": defects / lines if lines else None})
    return sorted(
        out,
        key=lambda r: (
            -(r["window_defect_lines"] or 0),
            -(r["window_order_lines"] or 0),
            r["sku_id"],  # ties in a fixed order, whatever order the engine grouped them in
        ),
    )


def _sla_rows(
    card_row: Row, breakdown: list[Row], targets: dict[str, list[Row]] | None = None
) -> list[Row]:
    """Per stage: the scorecard's measured/met/rate, breached and overdue counts, and the
    channels' targets with their units (calendar or working time)."""
    extra = {row["stage"]: row for row in breakdown}
    out = []
    for stage in SLA_STAGES:
        counts = extra.get(stage, {})
        out.append(
            {
                "stage": stage,
                "n_measured": card_row.get(f"{stage}_n_measured"),
                "n_met": card_row.get(f"{stage}_n_met"),
                "compliance_rate": card_row.get(f"{stage}_compliance_rate"),
                "n_breached": counts.get("n_breached"),
                "n_open_overdue": counts.get("n_open_overdue"),
                "n_open_not_due": counts.get("n_open_not_due"),
                "n_not_started": counts.get("n_not_started"),
                "targets": (targets or {}).get(stage, []),
            }
        )
    return out
