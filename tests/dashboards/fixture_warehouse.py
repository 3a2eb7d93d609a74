"""A small synthetic warehouse holding every ``marts`` table of docs/marts.md.

The dashboards only read ``marts``; this builds those tables directly (no ingest, no dbt) with the
documented columns and types and a few hundred deterministic rows: five merchants in two
categories, a dozen SKUs, sixteen order weeks (the last four immature), a planted defect spike that
raises an alert, and corrective actions in every evaluation state. The numbers are internally
consistent (rates re-aggregate from their numerators and denominators) so tests can compare what a
page shows with an independent query.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from flows.serving import serving_path, write_serving_copy

AS_OF = dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.UTC)  # 10:00 in Asia/Shanghai
TZ = "Asia/Shanghai"
FIRST_WEEK = dt.date(2026, 8, 3)
N_WEEKS = 16
MERCHANTS = [
    ("M001", "极光数码旗舰店", "数码电器"),
    ("M002", "北辰电器专营店", "数码电器"),
    ("M003", "云帆手机配件", "数码电器"),
    ("M004", "暖居家纺", "家居日用"),
    ("M005", "简木家具", "家居日用"),
]
CHANNELS = ["app", "web_form", "hotline", "social_media"]
ISSUES = [
    "quality_defect",
    "cosmetic_flaw",
    "counterfeit",
    "transport_damage",
    "misuse",
    "misunderstanding",
    "other",
]
STAGES = {
    "acknowledge": 2.0,
    "merchant_notified": 24.0,
    "merchant_evidence": 48.0,
    "resolution": 168.0,
}
SPIKE_SKU = "S00302"  # planted: one week far above its control limits
SPIKE_WEEK_INDEX = 9


def build_fixture_warehouse(path: Path | str, seed: int = 7, scale: float = 1.0) -> Path:
    """Write the fixture warehouse to ``path`` (replacing it) and return the path."""
    path = Path(path)
    path.unlink(missing_ok=True)
    rng = np.random.default_rng(seed)
    weeks = [FIRST_WEEK + dt.timedelta(weeks=i) for i in range(N_WEEKS)]
    skus, lines, complaints = _base_rows(rng, weeks, scale)
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.register("fx_skus", skus)
        con.register("fx_lines", lines)
        con.register("fx_complaints", complaints)
        con.execute(_WILSON)
        con.execute("set timezone = 'UTC'")
        for statement in _MART_SQL:
            con.execute(statement)
        con.execute("checkpoint")
    # As a publish does: the analysts' copy beside it (the SQL console reads only that).
    write_serving_copy(path, serving_path(path))
    return path


def _base_rows(
    rng: np.random.Generator, weeks: list[dt.date], scale: float
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    sku_rows = []
    for m_index, (merchant_id, _name, category) in enumerate(MERCHANTS, start=1):
        for s in range(1, 3 + (m_index % 2)):
            sku_rows.append(
                {
                    "sku_id": f"S{m_index:03d}{s:02d}",
                    "merchant_id": merchant_id,
                    "sku_name": f"{category}商品{m_index}-{s}",
                    "base_rate": [0.004, 0.012, 0.03, 0.008, 0.02][m_index - 1] * (0.7 + 0.3 * s),
                }
            )
    skus = pd.DataFrame(sku_rows)
    line_rows, complaint_rows = [], []
    n = 0
    for sku in sku_rows:
        for w_index, week in enumerate(weeks):
            order_lines = int(rng.integers(60, 160) * scale) + 20
            rate = sku["base_rate"]
            if sku["sku_id"] == SPIKE_SKU and w_index == SPIKE_WEEK_INDEX:
                rate = 0.2
            line_rows.append(
                {"sku_id": sku["sku_id"], "order_week": week, "order_lines": order_lines}
            )
            n_complaints = int(rng.binomial(order_lines, min(rate * 1.6, 0.5)))
            for line_no in range(n_complaints):
                n += 1
                defect_kind = rng.random() < 0.62
                issue = (
                    ISSUES[int(rng.integers(0, 3))]
                    if defect_kind
                    else ISSUES[int(rng.integers(3, 7))]
                )
                responsibility = "merchant" if defect_kind and rng.random() < 0.9 else "logistics"
                if rng.random() < 0.06:
                    issue, responsibility = None, None  # not classified yet
                received = dt.datetime.combine(week, dt.time(), tzinfo=dt.UTC) + dt.timedelta(
                    days=int(rng.integers(2, 20)), hours=int(rng.integers(0, 24))
                )
                if received >= AS_OF:
                    continue
                withdrawn = rng.random() < 0.04
                age_days = (AS_OF - received).total_seconds() / 86400
                if withdrawn:
                    status = "withdrawn"
                elif age_days > 12 or rng.random() < 0.5:
                    status = "closed" if rng.random() < 0.85 else "resolved"
                else:
                    status = ["open", "investigating", "awaiting_merchant"][int(rng.integers(0, 3))]
                complaint_rows.append(
                    {
                        "complaint_id": f"C{n:06d}",
                        "order_id": f"O{sku['sku_id']}{w_index:02d}{line_no:04d}",
                        "sku_id": sku["sku_id"],
                        "merchant_id": sku["merchant_id"],
                        "channel": CHANNELS[int(rng.choice(4, p=[0.5, 0.2, 0.2, 0.1]))],
                        "issue_type": issue,
                        "responsibility": responsibility,
                        "status": status,
                        "received_at": received,
                        "order_week": week,
                        "refund_amount": round(float(rng.uniform(0, 300)), 2)
                        if status in ("closed", "resolved") and rng.random() < 0.6
                        else None,
                        "compensation_amount": round(float(rng.uniform(0, 50)), 2)
                        if status in ("closed", "resolved") and rng.random() < 0.2
                        else None,
                        "satisfaction": int(rng.integers(1, 6)) if status == "closed" else None,
                        "evidence_count": int(rng.integers(0, 4)),
                        "reopen_count": int(rng.random() < 0.05) if status == "closed" else 0,
                        "ack_hours": float(rng.gamma(2.0, 0.8)),
                        "notify_hours": float(rng.gamma(2.0, 9.0)),
                        "evidence_hours": float(rng.gamma(2.0, 20.0)),
                        "resolve_hours": float(rng.gamma(3.0, 45.0)),
                        "phone_last4": f"{int(rng.integers(0, 10000)):04d}",
                    }
                )
    return skus, pd.DataFrame(line_rows), pd.DataFrame(complaint_rows)


_WILSON = """
create temp macro wilson_low(k, n) as case when n > 0 then
    ((k / n) + 1.959963984540054 ^ 2 / (2 * n)
     - 1.959963984540054 * sqrt((k / n) * (1 - k / n) / n + 1.959963984540054 ^ 2 / (4 * n * n)))
    / (1 + 1.959963984540054 ^ 2 / n) end;
create temp macro wilson_high(k, n) as case when n > 0 then
    ((k / n) + 1.959963984540054 ^ 2 / (2 * n)
     + 1.959963984540054 * sqrt((k / n) * (1 - k / n) / n + 1.959963984540054 ^ 2 / (4 * n * n)))
    / (1 + 1.959963984540054 ^ 2 / n) end;
create temp macro ratio(k, n) as case when n > 0 then k / n end;
create temp macro week_mature(w) as
    cast(w as timestamp) + interval 6 day + interval 30 day <= timestamp '2026-11-26 10:00:00';
"""

_MERCHANT_VALUES = ", ".join(f"('{m}', '{n}', '{c}')" for m, n, c in MERCHANTS)

_MART_SQL = [
    f"""create temp table fx_merchants(
        merchant_id varchar, merchant_name varchar, category varchar);
    insert into fx_merchants values {_MERCHANT_VALUES};""",
    # ---- complaints -----------------------------------------------------------------------
    """create table marts.complaints as
    with base as (
        select c.*, m.merchant_name, m.category, s.sku_name,
            c.status <> 'withdrawn' as is_counted,
            c.status = 'withdrawn' as is_withdrawn,
            c.status <> 'withdrawn' and c.responsibility = 'merchant'
                and c.issue_type in ('quality_defect', 'cosmetic_flaw', 'counterfeit')
                as is_confirmed_defect,
            c.received_at::timestamptz as received_tz,
            timestamptz '2026-11-26 02:00:00+00' as as_of_at,
            c.status in ('open', 'investigating', 'awaiting_merchant') as is_open
        from fx_complaints as c
        left join fx_merchants as m using (merchant_id)
        left join fx_skus as s using (sku_id)
    ),
    stages as (
        select *,
            received_tz + to_seconds(ack_hours * 3600) as ack_at,
            received_tz + to_seconds(notify_hours * 3600) as notified_at,
            received_tz + to_seconds((notify_hours + evidence_hours) * 3600) as evidence_at,
            received_tz + to_seconds(resolve_hours * 3600) as resolved_tz
        from base
    ),
    cut as (
        select *,
            case when ack_at <= as_of_at then ack_at end as acknowledged_at,
            case when notified_at <= as_of_at then notified_at end as merchant_notified_at,
            case when evidence_at <= as_of_at and not is_open then evidence_at end
                as merchant_evidence_at,
            case when not is_open and not is_withdrawn then least(resolved_tz, as_of_at) end
                as resolved_at
        from stages
    )
    select
        complaint_id::varchar as complaint_id, order_id::varchar as order_id,
        sku_id::varchar as sku_id, merchant_id::varchar as merchant_id,
        merchant_name::varchar as merchant_name, category::varchar as category,
        sku_name::varchar as sku_name, ('B' || right(complaint_id, 4))::varchar as buyer_id,
        channel::varchar as channel, issue_type::varchar as issue_type,
        responsibility::varchar as responsibility,
        (case when resolved_at is not null then 'return_refund' end)::varchar as remedy,
        status::varchar as status,
        ('收到的商品有问题，请联系我 138****' || phone_last4)::varchar as description,
        ('138****' || phone_last4)::varchar as buyer_phone_masked,
        refund_amount::decimal(18, 2) as refund_amount,
        compensation_amount::decimal(18, 2) as compensation_amount,
        satisfaction::integer as satisfaction, evidence_count::integer as evidence_count,
        is_counted, is_withdrawn, is_confirmed_defect,
        false as is_orphan_order, false as is_orphan_sku, false as is_orphan_merchant,
        received_tz as received_at,
        date_trunc('week', received_tz at time zone 'Asia/Shanghai')::date as received_week,
        order_week::date as order_week,
        acknowledged_at, merchant_notified_at, merchant_evidence_at,
        (case when merchant_evidence_at is not null then merchant_evidence_at + interval 2 hour end)
            as classified_at,
        resolved_at as remedy_executed_at,
        resolved_at,
        (case when status = 'closed' then resolved_at + interval 1 day end) as closed_at,
        least(coalesce(resolved_at, as_of_at), as_of_at) as updated_at,
        reopen_count::integer as reopen_count,
        -- acknowledge
        2.0::double as acknowledge_target_hours,
        received_tz + interval 2 hour as acknowledge_deadline_at,
        case when acknowledged_at is not null then ack_hours end as acknowledge_elapsed_hours,
        (case when not is_counted then 'not_applicable'
              when acknowledged_at is not null and ack_hours <= 2 then 'met'
              when acknowledged_at is not null then 'breached'
              when as_of_at > received_tz + interval 2 hour then 'open_overdue'
              else 'open_not_due' end)::varchar as acknowledge_status,
        case when is_counted and ack_hours > 2 then ack_hours - 2 end as acknowledge_overdue_hours,
        -- merchant_notified
        24.0::double as merchant_notified_target_hours,
        received_tz + interval 24 hour as merchant_notified_deadline_at,
        case when merchant_notified_at is not null then notify_hours end
            as merchant_notified_elapsed_hours,
        (case when not is_counted then 'not_applicable'
              when merchant_notified_at is not null and notify_hours <= 24 then 'met'
              when merchant_notified_at is not null then 'breached'
              when as_of_at > received_tz + interval 24 hour then 'open_overdue'
              else 'open_not_due' end)::varchar as merchant_notified_status,
        case when is_counted and merchant_notified_at is not null and notify_hours > 24
                  then notify_hours - 24
             when is_counted and merchant_notified_at is null
                  and as_of_at > received_tz + interval 24 hour
                  then epoch(as_of_at - received_tz) / 3600 - 24 end
            as merchant_notified_overdue_hours,
        -- merchant_evidence
        48.0::double as merchant_evidence_target_hours,
        merchant_notified_at + interval 48 hour as merchant_evidence_deadline_at,
        case when merchant_evidence_at is not null then evidence_hours end
            as merchant_evidence_elapsed_hours,
        (case when not is_counted then 'not_applicable'
              when merchant_notified_at is null then 'not_started'
              when merchant_evidence_at is not null and evidence_hours <= 48 then 'met'
              when merchant_evidence_at is not null then 'breached'
              when not is_open then 'not_applicable'
              when as_of_at > merchant_notified_at + interval 48 hour then 'open_overdue'
              else 'open_not_due' end)::varchar as merchant_evidence_status,
        case when is_counted and merchant_evidence_at is not null and evidence_hours > 48
                  then evidence_hours - 48
             when is_counted and is_open and merchant_notified_at is not null
                  and as_of_at > merchant_notified_at + interval 48 hour
                  then epoch(as_of_at - merchant_notified_at) / 3600 - 48 end
            as merchant_evidence_overdue_hours,
        -- resolution
        168.0::double as resolution_target_hours,
        received_tz + interval 168 hour as resolution_deadline_at,
        case when resolved_at is not null then epoch(resolved_at - received_tz) / 3600 end
            as resolution_elapsed_hours,
        (case when not is_counted then 'not_applicable'
              when resolved_at is not null and epoch(resolved_at - received_tz) / 3600 <= 168
                  then 'met'
              when resolved_at is not null then 'breached'
              when as_of_at > received_tz + interval 168 hour then 'open_overdue'
              else 'open_not_due' end)::varchar as resolution_status,
        case when is_counted and resolved_at is not null
                  and epoch(resolved_at - received_tz) / 3600 > 168
                  then epoch(resolved_at - received_tz) / 3600 - 168
             when is_counted and resolved_at is null
                  and as_of_at > received_tz + interval 168 hour
                  then epoch(as_of_at - received_tz) / 3600 - 168 end
            as resolution_overdue_hours
    from cut
    order by complaint_id""",
    # ---- defect rates ------------------------------------------------------------------
    """create temp table fx_sku_week as
    select l.sku_id, s.sku_name, s.merchant_id, m.merchant_name, m.category, l.order_week,
        l.order_lines::bigint as order_lines,
        count(distinct c.order_id) filter (where c.is_counted)::bigint as complaint_lines,
        count(distinct c.order_id) filter (where c.is_confirmed_defect)::bigint as defect_lines
    from fx_lines as l
    inner join fx_skus as s using (sku_id)
    inner join fx_merchants as m using (merchant_id)
    left join marts.complaints as c on c.sku_id = l.sku_id and c.order_week = l.order_week
    group by all""",
    """create table marts.sku_defect_rates_weekly as
    select sku_id::varchar as sku_id, sku_name::varchar as sku_name,
        merchant_id::varchar as merchant_id, merchant_name::varchar as merchant_name,
        category::varchar as category, order_week::date as order_week,
        order_lines, complaint_lines, defect_lines,
        ratio(complaint_lines, order_lines) as complaint_rate,
        wilson_low(complaint_lines, order_lines) as complaint_rate_ci_low,
        wilson_high(complaint_lines, order_lines) as complaint_rate_ci_high,
        ratio(defect_lines, order_lines) as defect_rate,
        wilson_low(defect_lines, order_lines) as defect_rate_ci_low,
        wilson_high(defect_lines, order_lines) as defect_rate_ci_high,
        week_mature(order_week) as is_mature
    from fx_sku_week order by sku_id, order_week""",
    """create table marts.merchant_defect_rates_weekly as
    with agg as (
        select merchant_id, merchant_name, category, order_week,
            sum(order_lines)::bigint as order_lines,
            sum(complaint_lines)::bigint as complaint_lines,
            sum(defect_lines)::bigint as defect_lines
        from fx_sku_week group by all
    )
    select merchant_id::varchar as merchant_id, merchant_name::varchar as merchant_name,
        category::varchar as category, order_week::date as order_week,
        order_lines, complaint_lines, defect_lines,
        ratio(complaint_lines, order_lines) as complaint_rate,
        wilson_low(complaint_lines, order_lines) as complaint_rate_ci_low,
        wilson_high(complaint_lines, order_lines) as complaint_rate_ci_high,
        ratio(defect_lines, order_lines) as defect_rate,
        wilson_low(defect_lines, order_lines) as defect_rate_ci_low,
        wilson_high(defect_lines, order_lines) as defect_rate_ci_high,
        week_mature(order_week) as is_mature
    from agg order by merchant_id, order_week""",
    """create table marts.merchant_defect_rates_rolling as
    with windows as (select unnest([30, 90]) as window_days),
    agg as (
        select merchant_id, merchant_name, category, window_days,
            sum(order_lines)::bigint as order_lines,
            sum(complaint_lines)::bigint as complaint_lines,
            sum(defect_lines)::bigint as defect_lines
        from fx_sku_week cross join windows
        where order_week >= date '2026-11-26' - window_days
        group by all
    ),
    priors as (
        select category, window_days, 2.0 as prior_alpha,
            2.0 * (1 - avg(defect_lines / order_lines)) / avg(defect_lines / order_lines)
                as prior_beta
        from agg group by all
    )
    select merchant_id::varchar as merchant_id, merchant_name::varchar as merchant_name,
        category::varchar as category, window_days::integer as window_days,
        timestamptz '2026-11-26 02:00:00+00' - to_days(window_days) as window_start_at,
        timestamptz '2026-11-26 02:00:00+00' as window_end_at,
        order_lines, complaint_lines, defect_lines,
        ratio(complaint_lines, order_lines) as complaint_rate,
        ratio(defect_lines, order_lines) as defect_rate,
        wilson_low(defect_lines, order_lines) as defect_rate_ci_low,
        wilson_high(defect_lines, order_lines) as defect_rate_ci_high,
        (defect_lines + prior_alpha) / (order_lines + prior_alpha + prior_beta)
            as shrunk_defect_rate,
        prior_alpha, prior_beta, order_lines >= 200 as has_min_volume,
        rank() over (partition by category, window_days
            order by (defect_lines + prior_alpha) / (order_lines + prior_alpha + prior_beta) desc
        )::integer as category_rank
    from agg inner join priors using (category, window_days)""",
    # The grading window: the 12 mature order weeks up to 2026-10-19 (the last four are immature).
    """create table marts.merchant_grades as
    with agg as (
        select merchant_id, any_value(merchant_name) as merchant_name,
            any_value(category) as category,
            sum(order_lines)::bigint as order_lines, sum(defect_lines)::bigint as defect_lines
        from fx_sku_week
        where order_week between date '2026-08-03' and date '2026-10-19'
        group by merchant_id
    ),
    shrunk as (
        select *, order_lines >= 200 as has_min_volume,
            (defect_lines + 2.0) / (order_lines + 200.0) as shrunk_defect_rate
        from agg
    )
    select merchant_id::varchar as merchant_id, merchant_name::varchar as merchant_name,
        category::varchar as category, date '2026-08-03' as window_start_week,
        date '2026-10-19' as window_end_week, '2026-W32' as window_start_iso_week,
        '2026-W43' as window_end_iso_week, true as is_latest_window, order_lines, defect_lines,
        ratio(defect_lines, order_lines) as defect_rate,
        wilson_low(defect_lines, order_lines) as defect_rate_ci_low,
        wilson_high(defect_lines, order_lines) as defect_rate_ci_high,
        2.0 as prior_alpha, 198.0 as prior_beta, 200.0 as prior_strength,
        'category' as prior_source, shrunk_defect_rate, has_min_volume,
        case when has_min_volume then 'graded' else 'insufficient_volume' end as grade_status,
        case when not has_min_volume then null
            when defect_lines / order_lines <= 0.005 then 'A'
            when defect_lines / order_lines <= 0.01 then 'B'
            when defect_lines / order_lines <= 0.02 then 'C' else 'D' end as grade,
        case when has_min_volume then row_number() over (
            partition by category, has_min_volume order by shrunk_defect_rate desc, merchant_id
        ) end as category_rank
    from shrunk""",
    """create table marts.sku_defect_rates_rolling as
    with windows as (select unnest([30, 90]) as window_days),
    agg as (
        select sku_id, sku_name, merchant_id, merchant_name, category, window_days,
            sum(order_lines)::bigint as order_lines,
            sum(complaint_lines)::bigint as complaint_lines,
            sum(defect_lines)::bigint as defect_lines
        from fx_sku_week cross join windows
        where order_week >= date '2026-11-26' - window_days
        group by all
    )
    select sku_id::varchar as sku_id, sku_name::varchar as sku_name,
        merchant_id::varchar as merchant_id, merchant_name::varchar as merchant_name,
        category::varchar as category, window_days::integer as window_days,
        timestamptz '2026-11-26 02:00:00+00' - to_days(window_days) as window_start_at,
        timestamptz '2026-11-26 02:00:00+00' as window_end_at,
        order_lines, complaint_lines, defect_lines,
        ratio(complaint_lines, order_lines) as complaint_rate,
        ratio(defect_lines, order_lines) as defect_rate,
        wilson_low(defect_lines, order_lines) as defect_rate_ci_low,
        wilson_high(defect_lines, order_lines) as defect_rate_ci_high,
        (defect_lines + 2.0) / (order_lines + 200.0) as shrunk_defect_rate,
        2.0 as prior_alpha, 198.0 as prior_beta, order_lines >= 200 as has_min_volume,
        rank() over (partition by category, window_days
            order by (defect_lines + 2.0) / (order_lines + 200.0) desc)::integer as category_rank
    from agg""",
    # ---- SLA --------------------------------------------------------------------------
    """create temp table fx_stage_rows as
    select complaint_id, merchant_id, merchant_name, category, received_week, channel,
        stage, sla_status
    from marts.complaints
    unpivot (sla_status for stage in (
        acknowledge_status as 'acknowledge', merchant_notified_status as 'merchant_notified',
        merchant_evidence_status as 'merchant_evidence', resolution_status as 'resolution'))
    where is_counted""",
    """create table marts.sla_compliance_merchant_weekly as
    with agg as (
        select received_week, channel, stage, merchant_id, merchant_name, category,
            count(*) filter (where sla_status = 'met')::bigint as n_met,
            count(*) filter (where sla_status = 'breached')::bigint as n_breached,
            count(*) filter (where sla_status = 'open_overdue')::bigint as n_open_overdue,
            count(*) filter (where sla_status = 'open_not_due')::bigint as n_open_not_due,
            count(*) filter (where sla_status = 'not_started')::bigint as n_not_started,
            count(*) filter (where sla_status = 'not_applicable')::bigint as n_not_applicable,
            count(*) filter (where sla_status = 'not_observed')::bigint as n_not_observed
        from fx_stage_rows group by all
    )
    select received_week, channel::varchar as channel, stage::varchar as stage,
        merchant_id, merchant_name, category,
        n_met, n_breached, n_open_overdue, n_open_not_due, n_not_started, n_not_applicable,
        n_not_observed, (n_met + n_breached + n_open_overdue)::bigint as n_measured,
        ratio(n_met, n_met + n_breached + n_open_overdue) as compliance_rate,
        wilson_low(n_met, n_met + n_breached + n_open_overdue) as compliance_rate_ci_low,
        wilson_high(n_met, n_met + n_breached + n_open_overdue) as compliance_rate_ci_high
    from agg order by received_week, channel, stage, merchant_id""",
    """create table marts.sla_compliance_weekly as
    with agg as (
        select received_week, channel, stage,
            sum(n_met)::bigint as n_met, sum(n_breached)::bigint as n_breached,
            sum(n_open_overdue)::bigint as n_open_overdue,
            sum(n_open_not_due)::bigint as n_open_not_due,
            sum(n_not_started)::bigint as n_not_started,
            sum(n_not_applicable)::bigint as n_not_applicable,
            sum(n_not_observed)::bigint as n_not_observed
        from marts.sla_compliance_merchant_weekly group by all
    )
    select *, (n_met + n_breached + n_open_overdue)::bigint as n_measured,
        ratio(n_met, n_met + n_breached + n_open_overdue) as compliance_rate,
        wilson_low(n_met, n_met + n_breached + n_open_overdue) as compliance_rate_ci_low,
        wilson_high(n_met, n_met + n_breached + n_open_overdue) as compliance_rate_ci_high
    from agg order by received_week, channel, stage""",
    """create table marts.sla_merchant_ranking as
    with per_merchant as (
        select stage, merchant_id, any_value(merchant_name) as merchant_name,
            any_value(category) as category, sum(n_measured)::bigint as n_measured,
            sum(n_met)::bigint as n_met
        from marts.sla_compliance_merchant_weekly group by stage, merchant_id
    )
    select stage, merchant_id, merchant_name, category, date '2026-05-25' as window_start_week,
        date '2026-11-23' as window_end_week, n_measured, n_met,
        ratio(n_met, n_measured) as compliance_rate,
        wilson_low(n_met, n_measured) as compliance_rate_ci_low,
        wilson_high(n_met, n_measured) as compliance_rate_ci_high,
        n_measured >= 20 as has_min_volume,
        case when n_measured >= 20 then row_number() over (
            partition by stage, n_measured >= 20
            order by n_met / n_measured, n_measured desc, merchant_id
        ) end as stage_rank
    from per_merchant""",
    """create table marts.sla_late_stages as
    select complaint_id, merchant_id, merchant_name, category, sku_id, sku_name, channel,
        received_week, stage, sla_status, deadline_at, elapsed_hours, overdue_hours
    from marts.complaints
    unpivot include nulls ((sla_status, deadline_at, elapsed_hours, overdue_hours) for stage in (
        (acknowledge_status, acknowledge_deadline_at, acknowledge_elapsed_hours,
            acknowledge_overdue_hours) as 'acknowledge',
        (merchant_notified_status, merchant_notified_deadline_at,
            merchant_notified_elapsed_hours, merchant_notified_overdue_hours)
            as 'merchant_notified',
        (merchant_evidence_status, merchant_evidence_deadline_at,
            merchant_evidence_elapsed_hours, merchant_evidence_overdue_hours)
            as 'merchant_evidence',
        (resolution_status, resolution_deadline_at, resolution_elapsed_hours,
            resolution_overdue_hours) as 'resolution'))
    where is_counted and sla_status in ('breached', 'open_overdue')""",
    # ---- recurrence -------------------------------------------------------------------
    """create table marts.complaint_recurrence as
    with closed as (
        select * from marts.complaints where status = 'closed' and is_counted
    ),
    matched as (
        select a.complaint_id, min(b.received_at) as first_at,
            arg_min(b.complaint_id, b.received_at) as first_id
        from closed as a
        inner join marts.complaints as b
            on b.sku_id = a.sku_id and b.issue_type = a.issue_type and b.is_counted
            and b.received_at > a.closed_at and b.received_at <= a.closed_at + interval 90 day
            and hash(a.complaint_id) % 4 = 0
        group by a.complaint_id
    )
    select closed.complaint_id, closed.sku_id, closed.merchant_id, closed.category,
        closed.issue_type, closed.closed_at,
        matched.complaint_id is not null as has_recurred,
        matched.first_id::varchar as recurred_by_complaint_id,
        (epoch(matched.first_at - closed.closed_at) / 86400)::double as days_to_recurrence,
        closed.closed_at + interval 90 day <= timestamptz '2026-11-26 02:00:00+00'
            or closed.closed_at < timestamptz '2026-10-01 00:00:00+00' as is_mature,
        (closed.closed_at + interval 90 day <= timestamptz '2026-11-26 02:00:00+00'
            or closed.closed_at < timestamptz '2026-10-01 00:00:00+00')
            and closed.issue_type is not null as is_in_rate
    from closed left join matched using (complaint_id)
    order by complaint_id""",
    """create table marts.recurrence_rates as
    with rows as (
        select r.*, c.merchant_name, c.sku_name from marts.complaint_recurrence as r
        inner join marts.complaints as c using (complaint_id)
    ),
    grouped as (
        select 'platform' as group_type, 'platform' as group_id, '平台' as group_name,
            null as merchant_id, null as category,
            count(*) filter (where is_in_rate) as n,
            count(*) filter (where is_in_rate and has_recurred) as k
        from rows
        union all
        select 'category', category, category, null, category,
            count(*) filter (where is_in_rate), count(*) filter (where is_in_rate and has_recurred)
        from rows group by category
        union all
        select 'merchant', merchant_id, any_value(merchant_name), merchant_id, any_value(category),
            count(*) filter (where is_in_rate), count(*) filter (where is_in_rate and has_recurred)
        from rows group by merchant_id
        union all
        select 'sku', sku_id, any_value(sku_name), any_value(merchant_id), any_value(category),
            count(*) filter (where is_in_rate), count(*) filter (where is_in_rate and has_recurred)
        from rows group by sku_id
        union all
        select 'issue_type', issue_type, issue_type, null, null,
            count(*) filter (where is_in_rate), count(*) filter (where is_in_rate and has_recurred)
        from rows where issue_type is not null group by issue_type
    )
    select group_type::varchar as group_type, group_id::varchar as group_id,
        group_name::varchar as group_name, merchant_id::varchar as merchant_id,
        category::varchar as category, n::bigint as n_closed_in_rate, k::bigint as n_recurred,
        ratio(k, n) as recurrence_rate, wilson_low(k, n) as recurrence_rate_ci_low,
        wilson_high(k, n) as recurrence_rate_ci_high
    from grouped""",
    """create table marts.reopen_and_repeat_rates as
    with agg as (
        select merchant_id, any_value(merchant_name) as merchant_name,
            any_value(category) as category, received_week,
            count(*)::bigint as n_counted,
            count(*) filter (where reopen_count > 0)::bigint as n_reopened,
            sum(reopen_count)::bigint as reopen_count,
            count(*) filter (where hash(complaint_id) % 17 = 0)::bigint
                as n_repeat_buyer_complaints
        from marts.complaints where is_counted group by merchant_id, received_week
    )
    select merchant_id, merchant_name, category, received_week, n_counted, n_reopened,
        reopen_count, ratio(n_reopened, n_counted) as reopen_rate, n_repeat_buyer_complaints,
        ratio(n_repeat_buyer_complaints, n_counted) as repeat_buyer_rate
    from agg order by merchant_id, received_week""",
    # ---- corrective actions ----------------------------------------------------------
    """create table marts.corrective_action_effectiveness as
    select * from (values
        ('CA001', 'M003', '云帆手机配件', '数码电器', 'S00302', 'sku', 'quality_defect',
         'supplier_change', timestamptz '2026-05-04 02:00:00+00',
         timestamptz '2026-06-01 02:00:00+00', 1800, 72, 0.04, 1900, 30, 30.0 / 1900,
         (30.0 / 1900) / 0.04 - 1, -4.1, 0.00004, true, true, 'effective'),
        ('CA002', 'M005', '简木家具', '家居日用', null, 'merchant', 'cosmetic_flaw',
         'process_fix', timestamptz '2026-07-06 02:00:00+00',
         timestamptz '2026-08-10 02:00:00+00', 2100, 50, 50.0 / 2100, 2300, 52, 52.0 / 2300,
         (52.0 / 2300) / (50.0 / 2100) - 1, -0.2, 0.84, false, true, 'insufficient_data'),
        ('CA003', 'M002', '北辰电器专营店', '数码电器', 'S00202', 'sku', 'quality_defect',
         'incoming_inspection', timestamptz '2026-09-01 02:00:00+00',
         timestamptz '2026-09-20 02:00:00+00', 1500, 30, 0.02, 900, 9, 0.01,
         -0.5, -2.0, 0.045, null, false, 'pending'),
        ('CA004', 'M003', '云帆手机配件', '数码电器', null, 'merchant', 'counterfeit',
         'merchant_warning', timestamptz '2026-10-20 02:00:00+00', null, 1300, 40,
         40.0 / 1300, null, null, null, null, null, null, null, false, 'pending')
    ) as t(action_id, merchant_id, merchant_name, category, sku_id, scope, issue_type,
        action_type, opened_at, completed_at, before_order_lines, before_defect_lines,
        before_defect_rate, after_order_lines, after_defect_lines, after_defect_rate,
        relative_change, z_statistic, p_value, is_effective, is_mature, evaluation)""",
    # ---- control charts ----------------------------------------------------------------
    """create table marts.sku_control_chart as
    with base as (
        select sku_id, merchant_id, sku_name, category, order_week, order_lines, defect_lines,
            defect_rate, is_mature,
            row_number() over (partition by sku_id order by order_week) <= 8 as is_baseline
        from marts.sku_defect_rates_weekly
    ),
    centre as (
        select sku_id, sum(defect_lines) / sum(order_lines) as center_line
        from base where is_baseline group by sku_id
    )
    select base.sku_id, base.merchant_id, base.sku_name, base.category, base.order_week,
        base.order_lines, base.defect_lines, base.defect_rate, centre.center_line,
        least(1.0, center_line + 3 * sqrt(center_line * (1 - center_line) / order_lines)) as ucl,
        greatest(0.0, center_line - 3 * sqrt(center_line * (1 - center_line) / order_lines))
            as lcl,
        1.0::double as sigma_z, 'p'::varchar as chart_type, base.is_baseline,
        base.defect_rate > least(1.0,
            center_line + 3 * sqrt(center_line * (1 - center_line) / order_lines))
            as is_out_of_control,
        base.is_mature
    from base inner join centre using (sku_id)
    order by sku_id, order_week""",
    """create table marts.sku_defect_alerts as
    select chart.*, count(c.complaint_id)::bigint as n_complaints,
        string_agg(c.complaint_id, ',' order by c.complaint_id) as complaint_ids
    from marts.sku_control_chart as chart
    left join marts.complaints as c
        on c.sku_id = chart.sku_id and c.order_week = chart.order_week and c.is_confirmed_defect
    where chart.is_out_of_control
    group by all""",
    # ---- scorecards --------------------------------------------------------------------
    """create table marts.merchant_scorecard_weekly as
    with weeks as (
        select distinct order_week as week_start from marts.merchant_defect_rates_weekly
    ),
    grid as (
        select m.merchant_id, m.merchant_name, m.category, weeks.week_start
        from fx_merchants as m cross join weeks
    ),
    rates as (select * from marts.merchant_defect_rates_weekly),
    received as (
        select merchant_id, received_week as week_start, count(*) as n_received,
            count(*) filter (where is_confirmed_defect) as n_defects,
            sum(refund_amount) as refund_amount, sum(compensation_amount) as compensation_amount,
            sum(reopen_count) as reopen_count
        from marts.complaints where is_counted group by all
    ),
    sla as (
        select merchant_id, received_week as week_start, stage, sum(n_measured) as n_measured,
            sum(n_met) as n_met
        from marts.sla_compliance_merchant_weekly group by all
    ),
    joined as (
        select grid.*, strftime(grid.week_start, '%G-W%V') as iso_week,
            coalesce(rates.order_lines, 0) > 0 or coalesce(received.n_received, 0) > 0
                as has_activity,
            coalesce(rates.order_lines, 0)::bigint as order_lines,
            coalesce(rates.complaint_lines, 0)::bigint as complaint_lines,
            coalesce(rates.defect_lines, 0)::bigint as defect_lines,
            rates.defect_rate, rates.defect_rate_ci_low, rates.defect_rate_ci_high,
            coalesce(rates.is_mature, false) as is_mature,
            coalesce(received.n_received, 0)::bigint as n_complaints_received,
            coalesce(received.n_defects, 0)::bigint as n_confirmed_defects_received,
            coalesce(received.refund_amount, 0)::decimal(18, 2) as refund_amount,
            coalesce(received.compensation_amount, 0)::decimal(18, 2) as compensation_amount,
            coalesce(received.reopen_count, 0)::bigint as reopen_count
        from grid
        left join rates on rates.merchant_id = grid.merchant_id
            and rates.order_week = grid.week_start
        left join received on received.merchant_id = grid.merchant_id
            and received.week_start = grid.week_start
    ),
    stage_cols as (
        pivot (select merchant_id, week_start, stage, n_measured, n_met from sla)
        on stage in ('acknowledge', 'merchant_notified', 'merchant_evidence', 'resolution')
        using sum(n_measured) as n_measured, sum(n_met) as n_met
    )
    select joined.merchant_id, joined.merchant_name, joined.category, joined.iso_week,
        joined.week_start, joined.has_activity, joined.order_lines, joined.complaint_lines,
        joined.defect_lines, joined.defect_rate, joined.defect_rate_ci_low,
        joined.defect_rate_ci_high, joined.is_mature, joined.n_complaints_received,
        joined.n_confirmed_defects_received,
        median(joined.defect_rate) over (partition by joined.category, joined.week_start)
            as category_median_defect_rate,
        case when joined.defect_rate is not null then percent_rank() over (
            partition by joined.category, joined.week_start, joined.defect_rate is null
            order by joined.defect_rate) end as defect_rate_percentile,
        coalesce(acknowledge_n_measured, 0)::bigint as acknowledge_n_measured,
        coalesce(acknowledge_n_met, 0)::bigint as acknowledge_n_met,
        ratio(acknowledge_n_met, acknowledge_n_measured) as acknowledge_compliance_rate,
        coalesce(merchant_notified_n_measured, 0)::bigint as merchant_notified_n_measured,
        coalesce(merchant_notified_n_met, 0)::bigint as merchant_notified_n_met,
        ratio(merchant_notified_n_met, merchant_notified_n_measured)
            as merchant_notified_compliance_rate,
        coalesce(merchant_evidence_n_measured, 0)::bigint as merchant_evidence_n_measured,
        coalesce(merchant_evidence_n_met, 0)::bigint as merchant_evidence_n_met,
        ratio(merchant_evidence_n_met, merchant_evidence_n_measured)
            as merchant_evidence_compliance_rate,
        coalesce(resolution_n_measured, 0)::bigint as resolution_n_measured,
        coalesce(resolution_n_met, 0)::bigint as resolution_n_met,
        ratio(resolution_n_met, resolution_n_measured) as resolution_compliance_rate,
        ratio(merchant_evidence_n_met, merchant_evidence_n_measured)
            as merchant_evidence_on_time_rate,
        0::bigint as n_recurrences,
        joined.refund_amount, joined.compensation_amount, joined.reopen_count,
        joined.defect_rate - lag(joined.defect_rate) over (
            partition by joined.merchant_id order by joined.week_start) as defect_rate_wow_change,
        regr_slope(joined.defect_rate, epoch(joined.week_start) / 604800) over (
            partition by joined.merchant_id order by joined.week_start
            rows between 3 preceding and current row) as defect_rate_4w_trend,
        (case when joined.defect_rate is null then 'A'
              when joined.defect_rate <= 0.005 then 'A' when joined.defect_rate <= 0.01 then 'B'
              when joined.defect_rate <= 0.02 then 'C' else 'D' end)::varchar as grade,
        (case when joined.defect_rate is null then 'no orders this week: grade A by default'
              when joined.defect_rate <= 0.005 then 'defect rate ≤ 0.5 %: grade A'
              when joined.defect_rate <= 0.01 then 'defect rate ≤ 1 %: grade B'
              when joined.defect_rate <= 0.02 then 'defect rate ≤ 2 %: grade C'
              else 'defect rate > 2 %: grade D' end)::varchar as grade_rule,
        'quality_defect, cosmetic_flaw'::varchar as top_issue_types,
        ''::varchar as top_skus
    from joined
    left join stage_cols using (merchant_id, week_start)
    order by joined.week_start, joined.merchant_id""",
    # ---- data quality and build ------------------------------------------------------
    """create table marts.dq_file_ledger as select * from (values
        ('a1b2', 'orders_2026w47.csv', 'orders', 'csv', 'utf-8', 'canonical', 1200, 1195, 3, 2,
         'loaded', null, null::varchar, timestamptz '2026-11-26 01:00:00+00'),
        ('c3d4', 'complaints_2026w47.xlsx', 'complaints', 'xlsx', null, 'zh', 420, 418, 2, 0,
         'loaded', null, '["备用电话"]', timestamptz '2026-11-26 01:05:00+00'),
        ('e5f6', 'notes.csv', null, 'csv', null, null, 0, 0, 0, 0, 'rejected',
         'the file name names no entity', null, timestamptz '2026-11-26 01:06:00+00')
    ) as t(file_id, file_name, entity, format, encoding, profile, rows_read, rows_loaded,
        rows_quarantined, rows_duplicate, status, reason, extra_columns, ingested_at)""",
    """create table marts.dq_quarantine as select * from (values
        ('a1b2', 'orders_2026w47.csv', 17, 'quantity', 'quantity must be an integer ≥ 1',
         '{"quantity": "0"}', timestamptz '2026-11-26 01:00:00+00'),
        ('c3d4', 'complaints_2026w47.xlsx', 88, 'channel', 'unknown channel ''fax''',
         '{"channel": "fax", "buyer_phone": "139****0000"}',
         timestamptz '2026-11-26 01:05:00+00')
    ) as t(file_id, file_name, row_number, field, reason, raw_values, quarantined_at)""",
    """create table marts.dq_warnings as select * from (values
        ('c3d4', 'complaints_2026w47.xlsx', 12, 'satisfaction', 'satisfaction must be 1–5',
         '7', timestamptz '2026-11-26 01:05:00+00')
    ) as t(file_id, file_name, row_number, field, reason, raw_value, warned_at)""",
    """create table marts.dq_expectation_results as select * from (values
        ('a1b2', 'orders_2026w47.csv', 'orders', 'orders', 'expect_column_values_to_not_be_null',
         'order_id', true, 1200::bigint, 0::bigint, null, timestamptz '2026-11-26 01:00:00+00'),
        ('c3d4', 'complaints_2026w47.xlsx', 'complaints', 'complaints',
         'expect_column_values_to_be_in_set', 'channel', false, 420::bigint, 2::bigint,
         '["fax"]', timestamptz '2026-11-26 01:05:00+00')
    ) as t(file_id, file_name, entity, suite, expectation, column_name, success, element_count,
        unexpected_count, observed, validated_at)""",
    """create table marts.dq_orphans as select * from (values
        ('complaints', 'C999001', 'orphan_order', 'c3d4', 'complaints_2026w47.xlsx'),
        ('complaint_events', 'C999777', 'orphan_event', 'f7a8', 'events_2026w47.jsonl')
    ) as t(entity, key, orphan_kind, file_id, file_name)""",
    """create table marts.sla_targets as
    select stage, channel,
        case when stage = 'acknowledge' and channel = 'hotline' then 2.0
             when stage = 'merchant_evidence' and channel = 'web_form' then 2.0
             else hours end::double as target_value,
        case when stage = 'acknowledge' and channel = 'hotline' then 'working_hours'
             when stage = 'merchant_evidence' and channel = 'web_form' then 'working_days'
             else 'calendar_hours' end::varchar as target_unit,
        case when stage = 'merchant_evidence' and channel = 'web_form' then 18.0
             when stage = 'acknowledge' and channel = 'hotline' then 2.0
             else hours end::double as target_hours,
        case when (stage, channel) in (('acknowledge', 'hotline'),
                                       ('merchant_evidence', 'web_form'))
             then 'china' end::varchar as working_calendar,
        case when (stage, channel) in (('acknowledge', 'hotline'),
                                       ('merchant_evidence', 'web_form'))
             then '09:00–18:00' end::varchar as working_hours
    from (values ('acknowledge', 2.0), ('merchant_notified', 24.0), ('merchant_evidence', 48.0),
                 ('resolution', 168.0)) as s(stage, hours)
    cross join (values ('app'), ('web_form'), ('hotline'), ('social_media')) as c(channel)""",
    """create table marts.dq_sla_stage_observation as select * from (values
        ('hotline', 'merchant_evidence', 40::bigint, 0::bigint, false, true, true),
        ('app', 'merchant_evidence', 120::bigint, 96::bigint, true, true, false)
    ) as t(channel, stage, n_complaints, n_completed, is_observed, is_targeted, is_warning)""",
    """create table marts.dq_freshness as select * from (values
        ('orders', 3::bigint, timestamptz '2026-11-26 01:00:00+00',
         timestamptz '2026-11-23 15:00:00+00'),
        ('complaints', 4::bigint, timestamptz '2026-11-26 01:05:00+00',
         timestamptz '2026-11-26 02:00:00+00')
    ) as t(entity, n_files, latest_ingested_at, latest_record_at)""",
    """create table marts.build_info as select
        timestamptz '2026-11-26 02:00:00+00' as as_of,
        timestamptz '2026-11-26 02:10:00+00' as built_at,
        'Asia/Shanghai'::varchar as timezone, '1.11.0'::varchar as dbt_version""",
    # the types the dbt build gives these columns
    "alter table marts.corrective_action_effectiveness alter column before_order_lines type bigint",
    "alter table marts.corrective_action_effectiveness"
    " alter column before_defect_lines type bigint",
    "alter table marts.corrective_action_effectiveness alter column after_order_lines type bigint",
    "alter table marts.corrective_action_effectiveness alter column after_defect_lines type bigint",
    "alter table marts.corrective_action_effectiveness alter column p_value type double",
    "alter table marts.corrective_action_effectiveness alter column z_statistic type double",
    "alter table marts.dq_file_ledger alter column extra_columns type varchar[]",
    "alter table marts.dq_quarantine alter column raw_values type json",
    "alter table marts.dq_quarantine alter column row_number type bigint",
    "alter table marts.dq_warnings alter column row_number type bigint",
    "alter table marts.corrective_action_effectiveness add column relative_change_ci_low double",
    "alter table marts.corrective_action_effectiveness add column relative_change_ci_high double",
    "alter table marts.corrective_action_effectiveness add column power double",
    "alter table marts.merchant_defect_rates_rolling alter column category_rank type bigint",
    "alter table marts.merchant_defect_rates_rolling alter column prior_alpha type double",
    "alter table marts.sku_defect_rates_rolling alter column category_rank type bigint",
    "alter table marts.sku_defect_rates_rolling alter column prior_alpha type double",
    "alter table marts.sku_defect_rates_rolling alter column prior_beta type double",
    "alter table marts.merchant_scorecard_weekly alter column refund_amount type decimal(38, 2)",
    "alter table marts.merchant_scorecard_weekly"
    " alter column compensation_amount type decimal(38, 2)",
    "alter table marts.dq_file_ledger alter column rows_read type bigint",
    "alter table marts.dq_file_ledger alter column rows_loaded type bigint",
    "alter table marts.dq_file_ledger alter column rows_quarantined type bigint",
    "alter table marts.dq_file_ledger alter column rows_duplicate type bigint",
]


if __name__ == "__main__":  # build one by hand: python tests/dashboards/fixture_warehouse.py out
    import sys

    print(build_fixture_warehouse(sys.argv[1] if len(sys.argv) > 1 else "fixture.duckdb"))
