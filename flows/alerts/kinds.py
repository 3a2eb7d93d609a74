"""The kinds of alert: each reads one mart and turns its rows into alerts.

An alert has a subject (what it is about, the ledger's key with the rule and the recipient) and a
level: an alert goes out again only when its level rises (escalation). A kind is a function
registered in ``KINDS``; a mart a kind needs that the warehouse does not hold yet is reported as an
error of that rule, not of the whole run. Rows carry no personal data: no descriptions, no phones,
no buyer ids are ever selected.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import duckdb

from flows.alerts.rules import Rule
from flows.config import SLA_STAGES
from flows.errors import UserError
from flows.i18n import say


@dataclass(frozen=True)
class Alert:
    rule: str
    kind: str
    subject: str
    level: int
    page: str  # dashboard page (URL path) the message links to; "" = the overview
    filters: dict[str, str]  # the page's URL filters
    facts: dict[str, Any] = field(default_factory=dict)


Collector = Callable[[duckdb.DuckDBPyConnection, Rule, datetime], list[Alert]]
KINDS: dict[str, Collector] = {}


def kind(name: str) -> Callable[[Collector], Collector]:
    def register(func: Collector) -> Collector:
        KINDS[name] = func
        return func

    return register


def doubling_level(value: float, threshold: float) -> int:
    """1 at the threshold, one more each time the value doubles (0 below the threshold)."""
    if value < threshold or value <= 0:
        return 0
    return 1 + math.floor(math.log2(value / max(threshold, 1e-9)))


def _has(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    schema, name = table.split(".")
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    return bool(row and row[0])


def _rows(con: duckdb.DuckDBPyConnection, table: str, sql: str, params: list) -> list[dict]:
    if not _has(con, table):
        raise UserError("err_no_table_build", table=table)
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _since(as_of: datetime, weeks: int) -> str:
    monday = as_of.date() - timedelta(days=as_of.weekday())
    return str(monday - timedelta(weeks=max(weeks, 1) - 1))


@kind("sku_defect_spike")
def sku_defect_spikes(con: duckdb.DuckDBPyConnection, rule: Rule, as_of: datetime) -> list[Alert]:
    """SKU-weeks above their control limit (marts.sku_defect_alerts), by order week."""
    threshold = rule.threshold or 3
    rows = _rows(
        con,
        "marts.sku_defect_alerts",
        """select sku_id, sku_name, merchant_id, merchant_name, category, iso_week,
                  order_week::varchar as order_week, order_lines, defect_lines, defect_rate, ucl
           from marts.sku_defect_alerts where order_week >= ? order by order_week, sku_id""",
        [_since(as_of, rule.lookback_weeks + 8)],  # order weeks mature about a month late
    )
    alerts = []
    for row in rows:
        level = doubling_level(row["defect_lines"], threshold)
        if level and rule.wants(row["category"], row["merchant_id"]):
            alerts.append(
                Alert(
                    rule.name,
                    "sku_defect_spike",
                    f"{row['sku_id']}|{row['order_week']}",
                    level,
                    "skus",
                    _filters(row, week=row["iso_week"]),
                    row,
                )
            )
    return alerts


@kind("emerging_term")
def emerging_terms(con: duckdb.DuckDBPyConnection, rule: Rule, as_of: datetime) -> list[Alert]:
    """Terms emerging on a SKU or category (marts.emerging_terms), by received week."""
    threshold = rule.threshold or 1
    scope = rule.options.get("scope")
    rows = _rows(
        con,
        "marts.emerging_terms",
        """select scope, scope_id, term, iso_week, received_week::varchar as received_week,
                  sku_name, merchant_id, merchant_name, category, n_complaints,
                  expected_complaints, p_value
           from marts.emerging_terms where received_week >= ?
           order by received_week, scope, scope_id, term""",
        [_since(as_of, rule.lookback_weeks)],
    )
    alerts = []
    for row in rows:
        if scope and row["scope"] != scope:
            continue
        level = doubling_level(row["n_complaints"], threshold)
        if level and rule.wants(row["category"], row["merchant_id"]):
            page = "skus" if row["scope"] == "sku" else ""  # the overview is the app's root
            alerts.append(
                Alert(
                    rule.name,
                    "emerging_term",
                    f"{row['scope']}|{row['scope_id']}|{row['term']}|{row['received_week']}",
                    level,
                    page,
                    _filters(row, week=row["iso_week"], term=row["term"]),
                    row,
                )
            )
    return alerts


@kind("sla")
def sla_stages(con: duckdb.DuckDBPyConnection, rule: Rule, as_of: datetime) -> list[Alert]:
    """Open SLA stages past their deadline (level 2) or due within ``threshold`` hours (level 1)."""
    hours = rule.threshold if rule.threshold is not None else 4.0
    stages = rule.options.get("stages") or list(SLA_STAGES)
    unknown = sorted(set(stages) - set(SLA_STAGES))
    if unknown:
        where = say("where_rule", name=repr(rule.name))
        raise UserError("err_rule_stages", where=where, stages=", ".join(unknown))
    parts = [
        f"""select complaint_id, merchant_id, merchant_name, category, sku_id, sku_name, channel,
                   '{stage}' as stage, {stage}_status as status,
                   {stage}_deadline_at as deadline_at, {stage}_overdue_hours as overdue_hours,
                   iso_week_label
            from (select *, strftime(received_week, '%G-W%V') as iso_week_label
                  from marts.complaints)
            -- the stage is still open (open_overdue or open_not_due in the contract's codes)
            where starts_with({stage}_status, 'open_')"""
        for stage in stages
    ]
    rows = _rows(con, "marts.complaints", " union all ".join(parts) + " order by 1, 8", [])
    alerts = []
    for row in rows:
        deadline = row["deadline_at"]
        if row["status"] == "open_overdue":
            level = 2
        elif deadline is not None and (deadline - as_of).total_seconds() <= hours * 3600:
            level = 1
        else:
            continue
        if rule.wants(row["category"], row["merchant_id"]):
            alerts.append(
                Alert(
                    rule.name,
                    "sla",
                    f"{row['complaint_id']}|{row['stage']}",
                    level,
                    "sla",
                    _filters(row, week=row["iso_week_label"]),
                    row,
                )
            )
    return alerts


@kind("below_entitlement")
def below_entitlement(con: duckdb.DuckDBPyConnection, rule: Rule, as_of: datetime) -> list[Alert]:
    """Closed complaints whose remedy or compensation fell below the buyer's legal entitlement
    (marts.legal_entitlement_checks), by received week; ``threshold`` = the smallest
    compensation shortfall that alerts (remedies below their rule always do)."""
    minimum = rule.threshold or 0.0
    rows = _rows(
        con,
        "marts.legal_entitlement_checks",
        """select complaint_id, merchant_id, merchant_name, category, sku_id, below_rule,
                  entitled_remedy, remedy_given, is_remedy_below, compensation_shortfall,
                  iso_week, received_week::varchar as received_week
           from marts.legal_entitlement_checks
           where is_below_entitlement and received_week >= ?
           order by received_week, complaint_id""",
        [_since(as_of, rule.lookback_weeks)],
    )
    alerts = []
    for row in rows:
        shortfall = float(row["compensation_shortfall"] or 0.0)
        if not row["is_remedy_below"] and shortfall < minimum:
            continue
        if rule.wants(row["category"], row["merchant_id"]):
            alerts.append(
                Alert(
                    rule.name,
                    "below_entitlement",
                    row["complaint_id"],
                    1,
                    "compliance",
                    _filters(row, week=row["iso_week"]),
                    row,
                )
            )
    return alerts


def _filters(row: dict, week: str | None = None, term: str | None = None) -> dict[str, str]:
    """The dashboard's URL filters (dashboards/sidebar.py) for a row."""
    out = {}
    if week:
        out["from"] = out["to"] = week
    if row.get("category"):
        out["cat"] = str(row["category"])
    if row.get("merchant_id"):
        out["merchant"] = str(row["merchant_id"])
    if row.get("sku_id") or row.get("scope") == "sku":
        out["sku"] = str(row.get("sku_id") or row["scope_id"])
    if term:
        out["term"] = term
    return out
