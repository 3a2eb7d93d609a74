"""A small warehouse holding only the marts the scorecards read, with deterministic synthetic rows.

Two categories, five merchants, ten ISO weeks (2026-W38 … 2026-W47, ``as_of`` in W48). Planted:
merchant M05 has no orders in W47; M01 has a SKU far above its category, overdue complaints, a
recurrence and a completed (pending) plus an evaluated corrective action; a SKU name carries a
clear phone number that no scorecard may show. Columns and types follow docs/marts.md.
"""

from __future__ import annotations

import statistics
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb

AS_OF = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # Wednesday of 2026-W48 (18:00 in Shanghai)
WEEKS = [f"2026-W{n}" for n in range(38, 48)]
TARGET_WEEK = "2026-W47"
PLANTED_PHONE = "13812345678"
CATEGORIES = {"家用电器": ["M01", "M02", "M03"], "Apparel/Shoes": ["M04", "M05"]}
MERCHANT_NAMES = {
    "M01": "优品电器旗舰店",
    "M02": "Bright Home",
    "M03": "小熊厨房",
    "M04": "Runway & Co",
    "M05": "Quiet Threads",
}
STAGES = ("acknowledge", "merchant_notified", "merchant_evidence", "resolution")
SKUS = {
    "M01": [("S01A", f"电水壶 客服{PLANTED_PHONE}"), ("S01B", "吹风机")],
    "M02": [("S02A", "Toaster"), ("S02B", "Blender")],
    "M03": [("S03A", "电饭煲")],
    "M04": [("S04A", "Sneaker"), ("S04B", "Boot")],
    "M05": [("S05A", "Scarf")],
}

SCORECARD_COLUMNS = {
    "merchant_id": "varchar",
    "merchant_name": "varchar",
    "category": "varchar",
    "iso_week": "varchar",
    "week_start": "date",
    "has_activity": "boolean",
    "order_lines": "bigint",
    "complaint_lines": "bigint",
    "defect_lines": "bigint",
    "defect_rate": "double",
    "defect_rate_ci_low": "double",
    "defect_rate_ci_high": "double",
    "is_mature": "boolean",
    "n_complaints_received": "bigint",
    "n_confirmed_defects_received": "bigint",
    "category_median_defect_rate": "double",
    "defect_rate_percentile": "double",
    **{
        f"{stage}_{suffix}": kind
        for stage in STAGES
        for suffix, kind in (
            ("n_measured", "bigint"),
            ("n_met", "bigint"),
            ("compliance_rate", "double"),
        )
    },
    "merchant_evidence_on_time_rate": "double",
    "n_recurrences": "bigint",
    "refund_amount": "decimal(18,2)",
    "compensation_amount": "decimal(18,2)",
    "reopen_count": "bigint",
    "defect_rate_wow_change": "double",
    "defect_rate_4w_trend": "double",
    "grade": "varchar",
    "grade_status": "varchar",
    "grade_rule": "varchar",
    "graded_defect_rate": "double",
    "graded_order_lines": "bigint",
    "grade_window_start_iso_week": "varchar",
    "grade_window_end_iso_week": "varchar",
    "shrunk_defect_rate": "double",
    "category_rank": "bigint",
    "n_ranked_in_category": "bigint",
    "top_issue_types": "varchar",
    "top_skus": "varchar",
}


def week_start(iso_week: str) -> date:
    year, week = iso_week.split("-W")
    return date.fromisocalendar(int(year), int(week), 1)


def _mature(start: date) -> bool:
    return datetime.combine(start + timedelta(days=37), datetime.min.time(), UTC) <= AS_OF


def _sku_week(merchant: str, sku_index: int, week_index: int) -> tuple[int, int, int]:
    """(order lines, complaint lines, defect lines) of one SKU-week, deterministic."""
    m = int(merchant[1:])
    if merchant == "M05" and week_index == len(WEEKS) - 1:
        return 0, 0, 0
    lines = 60 + 15 * m + 7 * week_index + 11 * sku_index
    defects = (m * 3 + week_index + sku_index * 2) % 4
    if merchant == "M01" and sku_index == 0:
        defects += 4  # the planted bad SKU
    return lines, defects + 1 + (week_index % 2), defects


def _grade(rate: float | None) -> tuple[str | None, str]:
    if rate is None:  # as the mart does: graded on the last 4 weeks pooled
        return "B", "defect rate 0.98% on 820 order lines (last 4 weeks pooled) is ≤ 1.0% -> B"
    for grade, bound in (("A", 0.005), ("B", 0.01), ("C", 0.02)):
        if rate <= bound:
            return grade, f"Defect rate {rate:.2%} ≤ {bound:.1%}: grade {grade}."
    return "D", f"Defect rate {rate:.2%} > 2.0%: grade D."


def _scorecard_rows() -> list[dict]:
    rows: list[dict] = []
    for category, merchants in CATEGORIES.items():
        by_week: dict[str, dict[str, dict]] = {}
        for w, week in enumerate(WEEKS):
            for merchant in merchants:
                m = int(merchant[1:])
                parts = [_sku_week(merchant, s, w) for s in range(len(SKUS[merchant]))]
                lines = sum(p[0] for p in parts)
                complaint = sum(p[1] for p in parts) if lines else 0
                defects = sum(p[2] for p in parts)
                rate = defects / lines if lines else None
                grade, rule = _grade(rate)
                row = {
                    "merchant_id": merchant,
                    "merchant_name": MERCHANT_NAMES[merchant],
                    "category": category,
                    "iso_week": week,
                    "week_start": week_start(week),
                    "has_activity": lines > 0 or complaint + (w % 3) > 0,
                    "order_lines": lines,
                    "complaint_lines": complaint,
                    "defect_lines": defects,
                    "defect_rate": rate,
                    "defect_rate_ci_low": None if rate is None else rate * 0.55,
                    "defect_rate_ci_high": None if rate is None else min(1.0, rate * 1.7 + 0.001),
                    "is_mature": _mature(week_start(week)),
                    "n_complaints_received": complaint + (w % 3),
                    "n_confirmed_defects_received": defects,
                    "merchant_evidence_on_time_rate": None,
                    "n_recurrences": 1 if (merchant == "M01" and week == TARGET_WEEK) else 0,
                    "refund_amount": f"{(m * 37 + w * 13) % 500}.50",
                    "compensation_amount": f"{(m * 11 + w * 7) % 90}.00",
                    "reopen_count": (m + w) % 3,
                    "grade": grade,
                    "grade_status": "graded",
                    "grade_rule": rule,
                    "graded_defect_rate": rate if rate is not None else 0.0098,
                    "graded_order_lines": lines if rate is not None else 820,
                    "grade_window_start_iso_week": "2026-W30",
                    "grade_window_end_iso_week": "2026-W41",
                    "top_issue_types": (
                        f"quality_defect ({defects + 2}), transport_damage ({1 + w % 2})"
                    ),
                    "top_skus": ", ".join(
                        f"{sku} ({parts[i][1]})" for i, (sku, _name) in enumerate(SKUS[merchant])
                    ),
                }
                for s, stage in enumerate(STAGES):
                    measured = 0 if not lines else 4 + (m + s + w) % 5
                    met = max(0, measured - (m * (s + 1) + w) % 4)
                    if merchant == "M01" and stage == "merchant_evidence" and measured:
                        met = round(measured * 0.6) if measured >= 5 else measured - 2
                    row[f"{stage}_n_measured"] = measured
                    row[f"{stage}_n_met"] = met
                    row[f"{stage}_compliance_rate"] = met / measured if measured else None
                row["merchant_evidence_on_time_rate"] = row["merchant_evidence_compliance_rate"]
                by_week.setdefault(week, {})[merchant] = row
                rows.append(row)
        for w, week in enumerate(WEEKS):
            active = [r for r in by_week[week].values() if r["defect_rate"] is not None]
            median = statistics.median(r["defect_rate"] for r in active)
            ranked = sorted(active, key=lambda r: r["defect_rate"])
            for row in by_week[week].values():
                row["category_median_defect_rate"] = median
                row["defect_rate_percentile"] = (
                    None
                    if row["defect_rate"] is None
                    else ranked.index(row) / (len(ranked) - 1)
                    if len(ranked) > 1
                    else 0.0
                )
                prev = by_week[WEEKS[w - 1]][row["merchant_id"]] if w else None
                row["defect_rate_wow_change"] = (
                    row["defect_rate"] - prev["defect_rate"]
                    if prev and row["defect_rate"] is not None and prev["defect_rate"] is not None
                    else None
                )
                row["defect_rate_4w_trend"] = (
                    None if row["defect_rate"] is None else round(0.0004 * (w - 5), 6)
                )
    return rows


def _sku_rows() -> list[dict]:
    rows = []
    for category, merchants in CATEGORIES.items():
        for merchant in merchants:
            for s, (sku, name) in enumerate(SKUS[merchant]):
                for w, week in enumerate(WEEKS):
                    lines, complaint, defects = _sku_week(merchant, s, w)
                    rows.append(
                        {
                            "sku_id": sku,
                            "sku_name": name,
                            "merchant_id": merchant,
                            "merchant_name": MERCHANT_NAMES[merchant],
                            "category": category,
                            "order_week": week_start(week),
                            "order_lines": lines,
                            "complaint_lines": complaint if lines else 0,
                            "defect_lines": defects,
                            "complaint_rate": complaint / lines if lines else None,
                            "defect_rate": defects / lines if lines else None,
                            "is_mature": _mature(week_start(week)),
                        }
                    )
    return rows


def _complaint_rows() -> list[dict]:
    """Complaints of the target week; M01 has three overdue evidence stages, M03 one resolution."""
    rows = []
    start = datetime.combine(week_start(TARGET_WEEK), datetime.min.time(), UTC)
    plan = [
        ("C0101", "M01", "S01A", "merchant_evidence", 30.5),
        ("C0102", "M01", "S01A", "merchant_evidence", 12.25),
        ("C0103", "M01", "S01B", "acknowledge", 71.0),
        ("C0104", "M01", "S01A", None, None),
        ("C0301", "M03", "S03A", "resolution", 5.0),
        ("C0401", "M04", "S04A", None, None),
        ("C0105", "M01", "S01B", "merchant_notified", 3.5),  # received after the week ended
    ]
    for n, (cid, merchant, sku, overdue_stage, hours) in enumerate(plan):
        category = next(c for c, ms in CATEGORIES.items() if merchant in ms)
        received = start + timedelta(hours=10 + 9 * n + (168 if cid == "C0105" else 0))
        row = {
            "complaint_id": cid,
            "order_id": f"O{cid[1:]}",
            "sku_id": sku,
            "merchant_id": merchant,
            "merchant_name": MERCHANT_NAMES[merchant],
            "category": category,
            "sku_name": dict(SKUS[merchant])[sku],
            "channel": "app",
            "issue_type": "quality_defect",
            "responsibility": "merchant",
            "status": "awaiting_merchant" if overdue_stage else "closed",
            "description": "外壳开裂 联系138****5678",
            "buyer_phone_masked": "138****5678",
            "is_counted": True,
            "is_withdrawn": False,
            "is_confirmed_defect": True,
            "received_at": received,
            "received_week": week_start(TARGET_WEEK) + timedelta(days=7 if cid == "C0105" else 0),
        }
        for stage in STAGES:
            is_overdue = stage == overdue_stage
            row[f"{stage}_status"] = "open_overdue" if is_overdue else "met"
            row[f"{stage}_overdue_hours"] = hours if is_overdue else None
            row[f"{stage}_deadline_at"] = received + timedelta(hours=48)
        rows.append(row)
    return rows


def _sla_rows(scorecard: list[dict]) -> list[dict]:
    rows = []
    for card in scorecard:
        for stage in STAGES:
            measured = card[f"{stage}_n_measured"]
            met = card[f"{stage}_n_met"]
            overdue = 1 if (card["merchant_id"] == "M01" and stage == "merchant_evidence") else 0
            rows.append(
                {
                    "received_week": card["week_start"],
                    "channel": "app",
                    "stage": stage,
                    "merchant_id": card["merchant_id"],
                    "merchant_name": card["merchant_name"],
                    "category": card["category"],
                    "n_met": met,
                    "n_breached": measured - met - overdue,
                    "n_open_overdue": overdue,
                    "n_open_not_due": 0,
                    "n_not_started": 0,
                    "n_not_applicable": 1,
                    "n_measured": measured,
                    "compliance_rate": met / measured if measured else None,
                }
            )
    return rows


def _recurrence_rows() -> list[dict]:
    closed = datetime.combine(week_start("2026-W45"), datetime.min.time(), UTC)
    return [
        {
            "complaint_id": "C0090",
            "sku_id": "S01A",
            "merchant_id": "M01",
            "category": "家用电器",
            "issue_type": "quality_defect",
            "closed_at": closed,
            "has_recurred": True,
            "recurred_by_complaint_id": "C0104",
            "days_to_recurrence": 15.5,
            "is_mature": False,
            "is_in_rate": False,
            "is_defect_issue": True,
        }
    ]


def _action_rows() -> list[dict]:
    def at(day: str) -> datetime:
        return datetime.fromisoformat(day).replace(tzinfo=UTC)

    base = {"merchant_name": MERCHANT_NAMES["M01"], "category": "家用电器", "merchant_id": "M01"}
    return [
        {
            **base,
            "action_id": "CA-1",
            "sku_id": "S01A",
            "scope": "sku",
            "issue_type": "quality_defect",
            "action_type": "supplier_change",
            "opened_at": at("2026-10-01"),
            "completed_at": at("2026-10-20"),
            "before_order_lines": 820,
            "before_defect_lines": 41,
            "before_defect_rate": 41 / 820,
            "after_order_lines": 300,
            "after_defect_lines": 9,
            "after_defect_rate": 9 / 300,
            "relative_change": (9 / 300) / (41 / 820) - 1,
            "z_statistic": 1.4,
            "p_value": 0.16,
            "is_effective": None,
            "is_mature": False,
            "evaluation": "pending",
        },
        {
            **base,
            "action_id": "CA-0",
            "sku_id": None,
            "scope": "merchant",
            "issue_type": "cosmetic_flaw",
            "action_type": "incoming_inspection",
            "opened_at": at("2026-03-01"),
            "completed_at": at("2026-04-01"),
            "before_order_lines": 5000,
            "before_defect_lines": 100,
            "before_defect_rate": 0.02,
            "after_order_lines": 5200,
            "after_defect_lines": 52,
            "after_defect_rate": 0.01,
            "relative_change": -0.5,
            "relative_change_ci_low": -0.64,
            "relative_change_ci_high": -0.30,
            "z_statistic": -4.1,
            "p_value": 0.00004,
            "power": 0.99,
            "is_effective": True,
            "is_mature": True,
            "evaluation": "effective",
        },
    ]


TABLES: dict[str, dict[str, str]] = {
    "merchant_scorecard_weekly": SCORECARD_COLUMNS,
    "sku_defect_rates_weekly": {
        "sku_id": "varchar",
        "sku_name": "varchar",
        "merchant_id": "varchar",
        "merchant_name": "varchar",
        "category": "varchar",
        "order_week": "date",
        "order_lines": "bigint",
        "complaint_lines": "bigint",
        "defect_lines": "bigint",
        "complaint_rate": "double",
        "defect_rate": "double",
        "is_mature": "boolean",
    },
    "complaints": {
        "complaint_id": "varchar",
        "order_id": "varchar",
        "sku_id": "varchar",
        "merchant_id": "varchar",
        "merchant_name": "varchar",
        "category": "varchar",
        "sku_name": "varchar",
        "channel": "varchar",
        "issue_type": "varchar",
        "responsibility": "varchar",
        "status": "varchar",
        "description": "varchar",
        "buyer_phone_masked": "varchar",
        "is_counted": "boolean",
        "is_withdrawn": "boolean",
        "is_confirmed_defect": "boolean",
        "received_at": "timestamptz",
        "received_week": "date",
        **{
            f"{stage}_{suffix}": kind
            for stage in STAGES
            for suffix, kind in (
                ("status", "varchar"),
                ("overdue_hours", "double"),
                ("deadline_at", "timestamptz"),
            )
        },
    },
    "sla_late_stages": {
        "complaint_id": "varchar",
        "merchant_id": "varchar",
        "merchant_name": "varchar",
        "category": "varchar",
        "sku_id": "varchar",
        "sku_name": "varchar",
        "channel": "varchar",
        "received_week": "date",
        "stage": "varchar",
        "sla_status": "varchar",
        "deadline_at": "timestamptz",
        "overdue_hours": "double",
        "complaint_status": "varchar",
        "received_at": "timestamptz",
    },
    "sla_compliance_merchant_weekly": {
        "received_week": "date",
        "channel": "varchar",
        "stage": "varchar",
        "merchant_id": "varchar",
        "merchant_name": "varchar",
        "category": "varchar",
        "n_met": "bigint",
        "n_breached": "bigint",
        "n_open_overdue": "bigint",
        "n_open_not_due": "bigint",
        "n_not_started": "bigint",
        "n_not_applicable": "bigint",
        "n_measured": "bigint",
        "compliance_rate": "double",
    },
    "complaint_recurrence": {
        "complaint_id": "varchar",
        "sku_id": "varchar",
        "merchant_id": "varchar",
        "category": "varchar",
        "issue_type": "varchar",
        "closed_at": "timestamptz",
        "has_recurred": "boolean",
        "recurred_by_complaint_id": "varchar",
        "days_to_recurrence": "double",
        "is_mature": "boolean",
        "is_in_rate": "boolean",
        "is_defect_issue": "boolean",
    },
    "corrective_action_effectiveness": {
        "action_id": "varchar",
        "merchant_id": "varchar",
        "merchant_name": "varchar",
        "category": "varchar",
        "sku_id": "varchar",
        "scope": "varchar",
        "issue_type": "varchar",
        "action_type": "varchar",
        "opened_at": "timestamptz",
        "completed_at": "timestamptz",
        "before_order_lines": "bigint",
        "before_defect_lines": "bigint",
        "before_defect_rate": "double",
        "after_order_lines": "bigint",
        "after_defect_lines": "bigint",
        "after_defect_rate": "double",
        "relative_change": "double",
        "relative_change_ci_low": "double",
        "relative_change_ci_high": "double",
        "z_statistic": "double",
        "p_value": "double",
        "power": "double",
        "is_effective": "boolean",
        "is_mature": "boolean",
        "is_completed": "boolean",
        "evaluation": "varchar",
    },
    # Only whether order exports were loaded is read from it (complaint-only sources have none).
    "merchant_defect_rates_weekly": {
        "merchant_id": "varchar",
        "order_week": "date",
        "order_lines": "bigint",
    },
    "legal_compliance_weekly": {
        "merchant_id": "varchar",
        "category": "varchar",
        "channel": "varchar",
        "received_week": "date",
        "n_checked": "bigint",
        "n_entitled": "bigint",
        "n_below": "bigint",
        "compensation_shortfall": "decimal(38,2)",
    },
    "legal_entitlement_checks": {
        "complaint_id": "varchar",
        "merchant_id": "varchar",
        "category": "varchar",
        "sku_id": "varchar",
        "received_week": "date",
        "below_rule": "varchar",
        "entitled_remedy": "varchar",
        "remedy_given": "varchar",
        "compensation_shortfall": "double",
        "is_below_entitlement": "boolean",
    },
    "sla_targets": {
        "stage": "varchar",
        "channel": "varchar",
        "target_value": "double",
        "target_unit": "varchar",
        "target_hours": "double",
        "working_calendar": "varchar",
        "working_hours": "varchar",
    },
    "build_info": {
        "as_of": "timestamptz",
        "built_at": "timestamptz",
        "timezone": "varchar",
        "dbt_version": "varchar",
    },
}


def _legal_rows() -> dict[str, list[dict]]:
    """M01 in the target week: 3 closed complaints checked, 2 below entitlement (an exchange
    where return was due, and a counterfeit paid 300 short of the 500 CNY floor)."""
    week = week_start(TARGET_WEEK)
    checks = [
        ("LC1", "S01A", "no_reason_return", "return_refund", "exchange", None, True),
        ("LC2", "S01B", "counterfeit_compensation", "repair", "return_refund", 300.0, True),
        ("LC3", "S01B", None, "repair", "repair", None, False),
    ]
    return {
        "legal_compliance_weekly": [
            {"merchant_id": "M01", "category": "家用电器", "channel": "app",
             "received_week": week, "n_checked": 3, "n_entitled": 3, "n_below": 2,
             "compensation_shortfall": 300}
        ],
        "legal_entitlement_checks": [
            {"complaint_id": c, "merchant_id": "M01", "category": "家用电器", "sku_id": sku,
             "received_week": week, "below_rule": rule, "entitled_remedy": due,
             "remedy_given": given, "compensation_shortfall": short, "is_below_entitlement": below}
            for c, sku, rule, due, given, short, below in checks
        ],
    }  # fmt: skip


def _late_rows(complaints: list[dict]) -> list[dict]:
    """The late stages of the complaints above, one row each (the shape of sla_late_stages)."""
    return [
        {
            **row,
            "stage": stage,
            "sla_status": row[f"{stage}_status"],
            "deadline_at": row[f"{stage}_deadline_at"],
            "overdue_hours": row[f"{stage}_overdue_hours"],
            "complaint_status": row["status"],
        }
        for row in complaints
        for stage in STAGES
        if row[f"{stage}_status"] in ("breached", "open_overdue")
    ]


def _sla_target_rows() -> list[dict]:
    """Calendar hours everywhere, except a hotline acknowledgement in 2 working hours and web-form
    merchant evidence in 2 working days (the documented examples)."""
    hours = {"acknowledge": 2.0, "merchant_notified": 24.0, "merchant_evidence": 48.0,
             "resolution": 168.0}  # fmt: skip
    working = {("acknowledge", "hotline"): (2.0, "working_hours", 2.0),
               ("merchant_evidence", "web_form"): (2.0, "working_days", 18.0)}  # fmt: skip
    rows = []
    for stage, default in hours.items():
        for channel in ("app", "web_form", "hotline", "social_media"):
            value, unit, target_hours = working.get(
                (stage, channel), (default, "calendar_hours", default)
            )
            is_working = unit != "calendar_hours"
            rows.append(
                {"stage": stage, "channel": channel, "target_value": value, "target_unit": unit,
                 "target_hours": target_hours,
                 "working_calendar": "china" if is_working else None,
                 "working_hours": "09:00–18:00" if is_working else None}
            )  # fmt: skip
    return rows


def build_fixture_warehouse(path: Path) -> Path:
    """Write the fixture marts into a new DuckDB file at ``path`` and return it."""
    scorecard = _scorecard_rows()
    data = {
        "merchant_scorecard_weekly": scorecard,
        "sku_defect_rates_weekly": _sku_rows(),
        "complaints": _complaint_rows(),
        "sla_late_stages": _late_rows(_complaint_rows()),
        "sla_compliance_merchant_weekly": _sla_rows(scorecard),
        "complaint_recurrence": _recurrence_rows(),
        "corrective_action_effectiveness": _action_rows(),
        "sla_targets": _sla_target_rows(),
        **_legal_rows(),
        "merchant_defect_rates_weekly": [
            {"merchant_id": "M01", "order_week": week_start(TARGET_WEEK), "order_lines": 1}
        ],
        "build_info": [
            {"as_of": AS_OF, "built_at": AS_OF, "timezone": "Asia/Shanghai", "dbt_version": "1.11"}
        ],
    }
    with duckdb.connect(str(path)) as con:
        con.execute("set timezone = 'UTC'")
        con.execute("create schema marts")
        for table, columns in TABLES.items():
            ddl = ", ".join(f'"{name}" {kind}' for name, kind in columns.items())
            con.execute(f"create table marts.{table} ({ddl})")
            names = list(columns)
            marks = ", ".join("?" for _ in names)
            con.executemany(
                f"insert into marts.{table} values ({marks})",
                [[row.get(name) for name in names] for row in data[table]],
            )
    return path
