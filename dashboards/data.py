"""Every query the dashboards run, in one place.

Pages never write SQL: they call these functions. The rules that keep the dashboard safe and
correct while the pipeline republishes the warehouse:

- only the ``marts`` schema is read;
- values always travel as bound parameters; the few identifiers that vary (which week column,
  which SLA stage, which grouping) come from fixed allow-lists in this module;
- a page render reads through at most one short-lived read-only connection (``render_reads``
  around the render: opened lazily on the first cache miss, closed when the render ends), so a
  render's answers come from one published file (builds publish by atomic rename), a running build
  is never blocked and the next render sees a new build; outside a render each function opens its
  own short-lived connection (``flows.warehouse.read_only``);
- results are cached with ``st.cache_data`` (bounded ``max_entries``, a ``ttl``) under a key that
  includes the warehouse file's identity, so a new build is picked up at once.

Every function is also callable without a Streamlit runtime (tests, benchmarks); ``.uncached`` on
each gives the plain function.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import datetime as dt
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd
import streamlit as st

from flows.config import SLA_STAGES, load_settings
from flows.warehouse import SAFE_CONFIG, read_only, read_only_connection

_SETTINGS = load_settings()
F = TypeVar("F", bound=Callable[..., Any])


def _cached(func: F) -> F:
    wrapped = st.cache_data(
        ttl=_SETTINGS.dashboard_cache_ttl_seconds,
        max_entries=_SETTINGS.dashboard_cache_max_entries,
        show_spinner=False,
    )(func)
    wrapped.uncached = func  # type: ignore[attr-defined]
    return wrapped  # type: ignore[return-value]


@dataclasses.dataclass(frozen=True)
class Source:
    """One published version of the warehouse: its path and the file's identity."""

    path: str
    version: str


@dataclasses.dataclass(frozen=True)
class Filters:
    """The sidebar selection every page honours (None = all)."""

    week_from: dt.date | None = None
    week_to: dt.date | None = None
    category: str | None = None
    merchant_id: str | None = None
    channel: str | None = None

    @property
    def n_weeks(self) -> int | None:
        if self.week_from is None or self.week_to is None:
            return None
        return (self.week_to - self.week_from).days // 7 + 1

    def previous(self) -> Filters | None:
        """The period of equal length just before this one (None without a full period)."""
        if self.n_weeks is None or self.week_from is None:
            return None
        start = self.week_from - dt.timedelta(weeks=self.n_weeks)
        end = self.week_from - dt.timedelta(weeks=1)
        return dataclasses.replace(self, week_from=start, week_to=end)


def current_source(path: Path | str | None = None) -> Source | None:
    """The warehouse to read now, or None when it does not exist yet."""
    path = Path(path) if path is not None else load_settings().warehouse
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return Source(str(path), f"{stat.st_ino}-{stat.st_mtime_ns}-{stat.st_size}")


class StaleSource(Exception):
    """The warehouse was republished between a render's ``current_source`` and its connection."""


# Render connections alive in this process, per path: (the build's identity, how many). DuckDB
# hands a new connection to a path the database instance already open there, so while a
# connection to a replaced file lives, opening the path again reads the replaced file.
_LIVE = threading.Condition()
_LIVE_RENDERS: dict[str, tuple[str, int]] = {}
_WAIT_FOR_OLD_BUILD_SECONDS = 30.0


class RenderReads:
    """The one read-only connection of a page render, opened on the first cache miss.

    It serves only the render's own ``source``. Before opening, it waits until no other render of
    this process still reads a different build of the same path (DuckDB would hand that build
    back); after opening, it checks the file still has the render's identity. Otherwise the
    connection would read another build than the one the render's cache keys name, so
    ``StaleSource`` is raised and the render restarts.
    """

    def __init__(self, source: Source) -> None:
        self.source = source
        self._con: duckdb.DuckDBPyConnection | None = None

    def connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            path, version = self.source.path, self.source.version
            with _LIVE:
                if not _LIVE.wait_for(
                    lambda: _LIVE_RENDERS.get(path, (version, 0))[0] == version,
                    timeout=_WAIT_FOR_OLD_BUILD_SECONDS,
                ):
                    raise StaleSource(path)
                con = read_only_connection(path, **SAFE_CONFIG)
                # Checked after the open: if the identity still matches, the file opened is it.
                if current_source(path) != self.source:
                    con.close()
                    raise StaleSource(path)
                _LIVE_RENDERS[path] = (version, _LIVE_RENDERS.get(path, (version, 0))[1] + 1)
            self._con = con
        return self._con

    def close(self) -> None:
        if self._con is None:
            return
        self._con.close()
        self._con = None
        with _LIVE:
            version, count = _LIVE_RENDERS[self.source.path]
            if count > 1:
                _LIVE_RENDERS[self.source.path] = (version, count - 1)
            else:
                del _LIVE_RENDERS[self.source.path]
            _LIVE.notify_all()


_RENDER: contextvars.ContextVar[RenderReads | None] = contextvars.ContextVar(
    "dashboard_render_reads", default=None
)


@contextlib.contextmanager
def render_reads(source: Source) -> Iterator[RenderReads]:
    """Let every data call inside the block share one lazily opened connection to ``source``."""
    reads = RenderReads(source)
    token = _RENDER.set(reads)
    try:
        yield reads
    finally:
        _RENDER.reset(token)
        reads.close()


def _frames(source: Source, *queries: tuple[str, Sequence[object]]) -> list[pd.DataFrame]:
    """Run the queries on one read-only connection (one consistent published file).

    Inside ``render_reads`` for the same source, that is the render's connection; otherwise a
    connection of its own. The connection uses the SQL console's configuration: DuckDB shares one
    database instance between a process's connections to a file and refuses a second,
    differently configured one.
    """
    reads = _RENDER.get()
    if reads is not None and reads.source == source:
        con = reads.connection()
        return [con.execute(sql, list(params)).df() for sql, params in queries]
    with read_only(source.path, **SAFE_CONFIG) as con:
        return [con.execute(sql, list(params)).df() for sql, params in queries]


def _frame(source: Source, sql: str, params: Sequence[object] = ()) -> pd.DataFrame:
    return _frames(source, (sql, params))[0]


# ---- filter clauses ------------------------------------------------------------------------

# Column names a filter clause may use, per role. Anything else is a programming error.
_WEEK_COLUMNS = {"order_week", "received_week", "week_start", "closed_week"}
_DIMENSION_COLUMNS = {"category", "merchant_id", "channel"}


def _where(
    filters: Filters,
    week: str | None,
    *,
    alias: str = "",
    channel: bool = True,
    merchant: bool = True,
    category: bool = True,
) -> tuple[str, list[object]]:
    """``where`` conditions (joined by ``and``, leading ``true``) and their parameters."""
    prefix = f"{alias}." if alias else ""
    conditions, params = ["true"], []
    if week is not None:
        if week not in _WEEK_COLUMNS:
            raise ValueError(f"not an allowed week column: {week}")
        if filters.week_from is not None:
            conditions.append(f"{prefix}{week} >= ?")
            params.append(filters.week_from)
        if filters.week_to is not None:
            conditions.append(f"{prefix}{week} <= ?")
            params.append(filters.week_to)
    for column, wanted, value in (
        ("category", category, filters.category),
        ("merchant_id", merchant, filters.merchant_id),
        ("channel", channel, filters.channel),
    ):
        assert column in _DIMENSION_COLUMNS
        if wanted and value is not None:
            conditions.append(f"{prefix}{column} = ?")
            params.append(value)
    return " and ".join(conditions), params


def _closed_prefilter(filters: Filters, alias: str) -> tuple[str, list[object]]:
    """A coarse, index-friendly bound on ``closed_at`` for a ``closed_week`` filter.

    ``closed_week`` is computed per row in the platform time zone, so a filter on it alone reads
    every closed complaint. The UTC instants of the period, widened by a day on each side (more
    than any time-zone offset), keep every row the exact filter keeps and let DuckDB skip the
    rest before the join; the exact ``closed_week`` filter still decides.
    """
    conditions, params = ["true"], []
    if filters.week_from is not None:
        conditions.append(f"{alias}.closed_at >= cast(? as timestamptz)")
        params.append(f"{filters.week_from - dt.timedelta(days=1)} 00:00:00+00")
    if filters.week_to is not None:
        conditions.append(f"{alias}.closed_at < cast(? as timestamptz)")
        params.append(f"{filters.week_to + dt.timedelta(days=8)} 00:00:00+00")
    return " and ".join(conditions), params


# ---- chrome ----------------------------------------------------------------------------------


@_cached
def build_info(source: Source) -> dict[str, Any] | None:
    """The build's as_of and built_at (None when the marts are not built yet)."""
    try:
        frame = _frame(source, "select as_of, built_at, timezone from marts.build_info limit 1")
    except duckdb.CatalogException:  # the file exists but holds no marts yet (ingest ran only)
        return None
    return None if frame.empty else frame.iloc[0].to_dict()


@_cached
def filter_options(source: Source) -> dict[str, Any]:
    """Weeks, categories, merchants and channels the sidebar offers."""
    weeks, merchants, orders, channels = _frames(
        source,
        (
            """select distinct week from (
                   select order_week as week from marts.merchant_defect_rates_weekly
                   union select received_week from marts.complaints where is_counted
               ) where week is not null order by week""",
            (),
        ),
        (
            # Merchants with order lines or with complaints (a complaint-only source has no
            # order lines; its merchants are known from the complaints).
            """select merchant_id, any_value(merchant_name) as merchant_name,
                      any_value(category) as category
               from (
                   select merchant_id, merchant_name, category
                   from marts.merchant_defect_rates_weekly
                   union all
                   select merchant_id, merchant_name, category
                   from marts.complaints where merchant_id is not null
               ) group by merchant_id
               order by merchant_id""",
            (),
        ),
        ("select exists (select 1 from marts.merchant_defect_rates_weekly) as has_orders", ()),
        ("select distinct channel from marts.complaints where channel is not null", ()),
    )
    return {
        "weeks": [pd.Timestamp(w).date() for w in weeks["week"]],
        "categories": sorted(merchants["category"].dropna().unique().tolist()),
        "merchants": merchants,
        "channels": sorted(channels["channel"].tolist()),
        # False: no order exports loaded, so every rate per order line is absent (never 0).
        "has_orders": bool(orders["has_orders"].iloc[0]),
    }


# ---- overview --------------------------------------------------------------------------------


def _kpi_queries(filters: Filters) -> list[tuple[str, list[object]]]:
    complaints_where, complaints_params = _where(filters, "received_week")
    rates_where, rates_params = _where(filters, "order_week", channel=False)
    sla_where, sla_params = _where(filters, "received_week")
    rec_where, rec_params = _where(filters, "closed_week", alias="c")
    rec_window, rec_window_params = _closed_prefilter(filters, "r")
    # The recurrence mart carries merchant and category; complaints are joined (most of this
    # query's time at 10M lines) only when a channel is chosen.
    channel, channel_join = ("cast(null as varchar) as channel", "")
    if filters.channel is not None:
        channel = "c.channel"
        channel_join = "inner join marts.complaints as c using (complaint_id)"
    return [
        (
            f"""select count(*) as n_complaints,
                   sum(refund_amount)::double as refunds,
                   sum(compensation_amount)::double as compensation
               from marts.complaints where is_counted and {complaints_where}""",
            complaints_params,
        ),
        (
            f"""select sum(order_lines)::bigint as order_lines,
                   sum(complaint_lines)::bigint as complaint_lines,
                   sum(defect_lines)::bigint as defect_lines,
                   bool_and(is_mature) as all_mature
               from marts.merchant_defect_rates_weekly where {rates_where}""",
            rates_params,
        ),
        (
            f"""select stage, sum(n_met)::bigint as n_met, sum(n_measured)::bigint as n_measured
               from marts.sla_compliance_merchant_weekly where {sla_where} group by stage""",
            sla_params,
        ),
        (
            f"""with rows as (
                   select r.is_in_rate, r.has_recurred, r.category, r.merchant_id, {channel},
                       cast(date_trunc('week', timezone(b.timezone, r.closed_at)) as date)
                           as closed_week
                   from marts.complaint_recurrence as r
                   {channel_join}
                   cross join marts.build_info as b
                   where {rec_window}
               )
               select count(*) filter (where is_in_rate)::bigint as n_in_rate,
                   count(*) filter (where is_in_rate and has_recurred)::bigint as n_recurred
               from rows as c where {rec_where}""",
            [*rec_window_params, *rec_params],
        ),
    ]


def _zero_if_na(value: Any) -> float:
    return 0.0 if value is None or pd.isna(value) else float(value)


def _ratio(numerator: Any, denominator: Any) -> float | None:
    if denominator is None or pd.isna(denominator) or denominator == 0:
        return None
    return float(numerator) / float(denominator)


def _kpi_values(frames: list[pd.DataFrame]) -> dict[str, Any]:
    complaints, rates, sla, recurrence = frames
    row, rate_row, rec_row = complaints.iloc[0], rates.iloc[0], recurrence.iloc[0]
    order_lines = rate_row["order_lines"]
    has_orders = not pd.isna(order_lines) and order_lines > 0
    sla_by_stage = {
        stage: _ratio(*sla.loc[sla["stage"] == stage, ["n_met", "n_measured"]].iloc[0])
        if (sla["stage"] == stage).any()
        else None
        for stage in SLA_STAGES
    }
    sla_n = {
        stage: int(_zero_if_na(sla.loc[sla["stage"] == stage, "n_measured"].iloc[0]))
        if (sla["stage"] == stage).any()
        else 0
        for stage in SLA_STAGES
    }
    return {
        "n_complaints": int(row["n_complaints"]),
        # Absent (None) when no complaint of the period carries an amount, never 0.
        "refunds_compensation": None
        if pd.isna(row["refunds"]) and pd.isna(row["compensation"])
        else float(_zero_if_na(row["refunds"]) + _zero_if_na(row["compensation"])),
        "order_lines": int(order_lines) if has_orders else 0,
        "complaint_rate": _ratio(rate_row["complaint_lines"], order_lines) if has_orders else None,
        "defect_rate": _ratio(rate_row["defect_lines"], order_lines) if has_orders else None,
        "rates_mature": bool(rate_row["all_mature"]) if has_orders else True,
        "sla": sla_by_stage,
        "sla_n": sla_n,
        "recurrence_rate": _ratio(rec_row["n_recurred"], rec_row["n_in_rate"]),
        "recurrence_n": int(_zero_if_na(rec_row["n_in_rate"])),
    }


@_cached
def overview_kpis(source: Source, filters: Filters) -> dict[str, Any]:
    """Headline figures for the period and for the previous period of equal length."""
    previous = filters.previous()
    queries = _kpi_queries(filters) + (_kpi_queries(previous) if previous else [])
    frames = _frames(source, *queries)
    return {
        "current": _kpi_values(frames[:4]),
        "previous": _kpi_values(frames[4:]) if previous else None,
    }


@_cached
def weekly_rates(source: Source, filters: Filters) -> pd.DataFrame:
    """Complaint and defect rate per order week (with maturity) for the selection."""
    where, params = _where(filters, "order_week", channel=False)
    return _frame(
        source,
        f"""select order_week, sum(order_lines)::bigint as order_lines,
               sum(complaint_lines)::bigint as complaint_lines,
               sum(defect_lines)::bigint as defect_lines,
               sum(complaint_lines) / nullif(sum(order_lines), 0) as complaint_rate,
               sum(defect_lines) / nullif(sum(order_lines), 0) as defect_rate,
               bool_and(is_mature) as is_mature
           from marts.merchant_defect_rates_weekly where {where}
           group by order_week order by order_week""",
        params,
    )


@_cached
def weekly_complaints(source: Source, filters: Filters) -> pd.DataFrame:
    """Counted complaints per received week."""
    where, params = _where(filters, "received_week")
    return _frame(
        source,
        f"""select received_week, count(*) as n_complaints from marts.complaints
           where is_counted and {where} group by received_week order by received_week""",
        params,
    )


@_cached
def issue_pareto(source: Source, filters: Filters, sku_id: str | None = None) -> pd.DataFrame:
    """Counted complaints per issue type, largest first, with the cumulative share."""
    where, params = _where(filters, "received_week")
    if sku_id is not None:
        where += " and sku_id = ?"
        params.append(sku_id)
    return _frame(
        source,
        f"""with counts as (
               select issue_type, count(*) as n_complaints from marts.complaints
               where is_counted and {where} group by issue_type
           )
           select issue_type, n_complaints,
               n_complaints / sum(n_complaints) over () as share,
               sum(n_complaints) over (order by n_complaints desc, issue_type
                   rows between unbounded preceding and current row)
                   / sum(n_complaints) over () as cum_share
           from counts order by n_complaints desc, issue_type""",
        params,
    )


@_cached
def channel_mix(source: Source, filters: Filters) -> pd.DataFrame:
    """Counted complaints per channel."""
    where, params = _where(filters, "received_week")
    return _frame(
        source,
        f"""select channel, count(*) as n_complaints from marts.complaints
           where is_counted and {where} group by channel order by n_complaints desc""",
        params,
    )


@_cached
def defect_alerts(source: Source, filters: Filters, sku_id: str | None = None) -> pd.DataFrame:
    """SKU-weeks above their upper control limit in the period."""
    where, params = _where(filters, "order_week", alias="a", channel=False)
    if sku_id is not None:
        where += " and a.sku_id = ?"
        params.append(sku_id)
    return _frame(
        source,
        f"""select a.sku_id, a.sku_name, a.merchant_id, m.merchant_name, a.category,
               a.order_week, a.order_lines, a.defect_lines, a.defect_rate, a.center_line, a.ucl,
               a.is_mature, a.n_complaints, a.complaint_ids
           from marts.sku_defect_alerts as a
           left join (select distinct merchant_id, merchant_name
                      from marts.merchant_defect_rates_weekly) as m using (merchant_id)
           where {where}
           order by a.order_week desc, a.defect_rate desc""",
        params,
    )


# ---- merchants -------------------------------------------------------------------------------

_WILSON_SQL = """
    case when {n} > 0 then
        (({k} / {n}) + {z2} / (2 * {n})
         {sign} 1.959963984540054
             * sqrt(({k} / {n}) * (1 - {k} / {n}) / {n} + {z2} / (4 * {n} * {n})))
        / (1 + {z2} / {n}) end"""


def _wilson(k: str, n: str, sign: str) -> str:
    """The Wilson bound as SQL over two column expressions written in this module."""
    return _WILSON_SQL.format(k=k, n=n, sign=sign, z2="3.841458820694124")


def min_rate_base() -> int:
    """The cases a rate tile needs before it shows a rate (below: "—" and the reason)."""
    return _SETTINGS.min_rate_base


def min_volume_order_lines() -> int:
    """The order lines a merchant needs in a window to be graded, ranked or flagged."""
    return _SETTINGS.min_volume_order_lines


@_cached
def merchant_rates(source: Source, filters: Filters) -> pd.DataFrame:
    """Per merchant over the period: defect rate with its Wilson interval and volume; the grade,
    shrunk rate and category rank of the latest mature grading window (marts.merchant_grades),
    ranked merchants first by shrunk rate, then the rest (insufficient volume) by volume."""
    where, params = _where(filters, "order_week", alias="w", channel=False)
    return _frame(
        source,
        f"""with period as (
               select w.merchant_id, any_value(w.merchant_name) as merchant_name,
                   any_value(w.category) as category,
                   sum(w.order_lines)::bigint as order_lines,
                   sum(w.complaint_lines)::bigint as complaint_lines,
                   sum(w.defect_lines)::bigint as defect_lines,
                   bool_and(w.is_mature) as is_mature
               from marts.merchant_defect_rates_weekly as w where {where}
               group by w.merchant_id
           )
           select period.merchant_id, period.merchant_name, period.category,
               period.order_lines, period.complaint_lines, period.defect_lines,
               period.defect_lines / nullif(period.order_lines, 0) as defect_rate,
               {_wilson("period.defect_lines", "period.order_lines", "-")} as defect_rate_ci_low,
               {_wilson("period.defect_lines", "period.order_lines", "+")} as defect_rate_ci_high,
               grades.shrunk_defect_rate, grades.category_rank, grades.grade,
               coalesce(grades.grade_status, 'insufficient_volume') as grade_status,
               grades.order_lines as graded_order_lines,
               period.order_lines >= ? as has_min_volume, period.is_mature
           from period
           left join marts.merchant_grades as grades
               on grades.merchant_id = period.merchant_id and grades.is_latest_window
           order by grades.category_rank is null, grades.shrunk_defect_rate desc nulls last,
               period.order_lines desc, period.merchant_id""",
        [*params, _SETTINGS.min_volume_order_lines],
    )


@_cached
def sku_rates(source: Source, filters: Filters) -> pd.DataFrame:
    """Per SKU over the period: order lines, complaint and defect lines and rates."""
    where, params = _where(filters, "order_week", channel=False)
    return _frame(
        source,
        f"""select sku_id, any_value(sku_name) as sku_name, any_value(merchant_id) as merchant_id,
               any_value(merchant_name) as merchant_name, any_value(category) as category,
               sum(order_lines)::bigint as order_lines,
               sum(complaint_lines)::bigint as complaint_lines,
               sum(defect_lines)::bigint as defect_lines,
               sum(complaint_lines) / nullif(sum(order_lines), 0) as complaint_rate,
               sum(defect_lines) / nullif(sum(order_lines), 0) as defect_rate,
               bool_and(is_mature) as is_mature
           from marts.sku_defect_rates_weekly where {where}
           group by sku_id order by defect_lines desc, sku_id""",
        params,
    )


_COMPLAINT_COLUMNS = (
    "complaint_id, order_id, sku_id, sku_name, merchant_name, channel, issue_type, "
    "responsibility, remedy, status, description, buyer_phone_masked, received_at, "
    "refund_amount, compensation_amount, satisfaction, reopen_count"
)


@_cached
def complaints(
    source: Source, filters: Filters, sku_id: str | None = None, limit: int = 500
) -> tuple[pd.DataFrame, int]:
    """The latest complaints of the selection (never the phone hash) and how many there are."""
    where, params = _where(filters, "received_week")
    if sku_id is not None:
        where += " and sku_id = ?"
        params.append(sku_id)
    rows, total = _frames(
        source,
        (
            f"""select {_COMPLAINT_COLUMNS} from marts.complaints where {where}
               order by received_at desc, complaint_id limit ?""",
            [*params, limit],
        ),
        (f"select count(*) as n from marts.complaints where {where}", params),
    )
    return rows, int(total["n"].iloc[0])


# ---- SKUs ------------------------------------------------------------------------------------


@_cached
def sku_chart(source: Source, filters: Filters, sku_id: str) -> pd.DataFrame:
    """The SKU's p-chart rows in the period, with alert weeks flagged."""
    where, params = _where(filters, "order_week", alias="c", channel=False)
    return _frame(
        source,
        f"""select c.order_week, c.order_lines, c.defect_lines, c.defect_rate, c.center_line,
               c.ucl, c.lcl, c.sigma_z, c.chart_type, c.is_baseline, c.is_out_of_control,
               c.is_mature, a.sku_id is not null as is_alert
           from marts.sku_control_chart as c
           left join marts.sku_defect_alerts as a
               on a.sku_id = c.sku_id and a.order_week = c.order_week
           where c.sku_id = ? and {where} order by c.order_week""",
        [sku_id, *params],
    )


# ---- SLA -------------------------------------------------------------------------------------


@_cached
def sla_weekly(source: Source, filters: Filters) -> pd.DataFrame:
    """SLA counts per received week × channel × stage for the selection. ``n_pending``: stages
    not measured yet that still can be (not yet due, or not started on an open complaint)."""
    where, params = _where(filters, "received_week")
    return _frame(
        source,
        f"""select received_week, channel, stage, sum(n_met)::bigint as n_met,
               sum(n_breached)::bigint as n_breached,
               sum(n_open_overdue)::bigint as n_open_overdue,
               sum(n_measured)::bigint as n_measured,
               sum(n_open_not_due + n_not_started)::bigint as n_pending,
               sum(n_met) / nullif(sum(n_measured), 0) as compliance_rate
           from marts.sla_compliance_merchant_weekly where {where}
           group by all order by received_week, channel, stage""",
        params,
    )


# How the SLA record of a stage is shown (the SLA page and a merchant's drill-down).
SLA_COUNT_COLUMNS = ("n_measured", "n_met", "n_breached", "n_open_overdue")
SLA_STAGE_COLUMNS = (
    "stage",
    *SLA_COUNT_COLUMNS,
    "compliance_rate",
    "compliance_rate_ci_low",
    "compliance_rate_ci_high",
)


@_cached
def sla_by_stage(source: Source, filters: Filters) -> pd.DataFrame:
    """SLA counts and compliance with its Wilson interval per stage over the period."""
    where, params = _where(filters, "received_week")
    return _frame(
        source,
        f"""with agg as (
               select stage, sum(n_met)::bigint as n_met, sum(n_breached)::bigint as n_breached,
                   sum(n_open_overdue)::bigint as n_open_overdue,
                   sum(n_measured)::bigint as n_measured
               from marts.sla_compliance_merchant_weekly where {where} group by stage
           )
           select stage, n_met, n_breached, n_open_overdue, n_measured,
               n_met / nullif(n_measured, 0) as compliance_rate,
               {_wilson("n_met", "n_measured", "-")} as compliance_rate_ci_low,
               {_wilson("n_met", "n_measured", "+")} as compliance_rate_ci_high
           from agg order by array_position(?, stage)""",
        [*params, list(SLA_STAGES)],
    )


@_cached
def sla_targets(source: Source) -> pd.DataFrame:
    """The configured target of every stage × channel with its unit (marts.sla_targets)."""
    return _frame(
        source,
        """select stage, channel, target_value, target_unit, working_calendar, working_hours
           from marts.sla_targets order by stage, channel""",
        [],
    )


@_cached
def sla_late(
    source: Source, filters: Filters, limit: int | None = 500, offset: int = 0
) -> tuple[pd.DataFrame, int]:
    """Who is late on what: breached and open-overdue stages, longest overdue first; one page of
    ``limit`` rows from ``offset`` (``limit=None``: all of them, for the download)."""
    where, params = _where(filters, "received_week")
    rows, total = _frames(
        source,
        (
            f"""select complaint_id, merchant_id, merchant_name, category, sku_id, sku_name,
                   channel, received_week, stage, sla_status, deadline_at, elapsed_hours,
                   overdue_hours
               from marts.sla_late_stages where {where}
               order by sla_status desc, overdue_hours desc nulls last, complaint_id, stage
               limit ? offset ?""",
            [*params, limit if limit is not None else 2**62, offset],
        ),
        (f"select count(*) as n from marts.sla_late_stages where {where}", params),
    )
    return rows, int(total["n"].iloc[0])


@_cached
def sla_merchant_ranking(source: Source, stage: str, category: str | None) -> pd.DataFrame:
    """Merchants of one SLA stage, worst compliance first; unranked (too few measured) last."""
    return _frame(
        source,
        """select stage_rank, merchant_id, merchant_name, category, n_measured, n_met,
               compliance_rate, compliance_rate_ci_low, compliance_rate_ci_high, has_min_volume
           from marts.sla_merchant_ranking
           where stage = ? and (? is null or category = ?)
           order by stage_rank nulls last, n_measured desc, merchant_id""",
        [stage, category, category],
    )


AGE_BUCKETS = ("age_lt1d", "age_1_3d", "age_3_7d", "age_7_14d", "age_14_30d", "age_gt30d")


@_cached
def backlog_ageing(source: Source, filters: Filters) -> pd.DataFrame:
    """Open complaints by age at as_of (buckets in AGE_BUCKETS order)."""
    where, params = _where(filters, "received_week", alias="c")
    return _frame(
        source,
        f"""with open as (
               select epoch(b.as_of - c.received_at) / 86400 as age_days
               from marts.complaints as c cross join marts.build_info as b
               where c.is_counted and c.status in ('open', 'investigating', 'awaiting_merchant')
                   and {where}
           )
           select case when age_days < 1 then 'age_lt1d' when age_days < 3 then 'age_1_3d'
                       when age_days < 7 then 'age_3_7d' when age_days < 14 then 'age_7_14d'
                       when age_days < 30 then 'age_14_30d' else 'age_gt30d' end as age_bucket,
               count(*) as n_complaints
           from open group by age_bucket""",
        params,
    )


# ---- recurrence and corrective actions -------------------------------------------------------

# Grouping allowed for recurrence rates: id expression and name expression.
RECURRENCE_GROUPS = {
    "merchant": ("merchant_id", "any_value(merchant_name)"),
    "sku": ("sku_id", "any_value(sku_name)"),
    "issue_type": ("issue_type", "any_value(issue_type)"),
}


@_cached
def recurrence_rates(source: Source, filters: Filters, group: str) -> pd.DataFrame:
    """Recurrence rate per merchant, SKU or issue type over complaints closed in the period."""
    if group not in RECURRENCE_GROUPS:
        raise ValueError(f"not an allowed recurrence grouping: {group}")
    id_sql, name_sql = RECURRENCE_GROUPS[group]
    where, params = _where(filters, "closed_week")
    window, window_params = _closed_prefilter(filters, "r")
    return _frame(
        source,
        f"""with rows as (
               select r.complaint_id, r.sku_id, r.merchant_id, r.category, r.issue_type,
                   r.is_in_rate, r.has_recurred, c.merchant_name, c.sku_name, c.channel,
                   cast(date_trunc('week', timezone(b.timezone, r.closed_at)) as date)
                       as closed_week
               from marts.complaint_recurrence as r
               inner join marts.complaints as c using (complaint_id)
               cross join marts.build_info as b
               where {window}
           ),
           agg as (
               select {id_sql} as group_id, {name_sql} as group_name,
                   count(*) filter (where is_in_rate)::bigint as n_closed_in_rate,
                   count(*) filter (where is_in_rate and has_recurred)::bigint as n_recurred
               from rows where {where} and {id_sql} is not null
               group by group_id
           )
           select group_id, group_name, n_closed_in_rate, n_recurred,
               n_recurred / nullif(n_closed_in_rate, 0) as recurrence_rate,
               {_wilson("n_recurred", "n_closed_in_rate", "-")} as recurrence_rate_ci_low,
               {_wilson("n_recurred", "n_closed_in_rate", "+")} as recurrence_rate_ci_high
           from agg
           order by recurrence_rate desc nulls last, n_closed_in_rate desc, group_id""",
        [*window_params, *params],
    )


@_cached
def reopen_rates(source: Source, filters: Filters) -> pd.DataFrame:
    """Reopen and repeat-buyer rates per merchant over the period."""
    where, params = _where(filters, "received_week", channel=False)
    return _frame(
        source,
        f"""select merchant_id, any_value(merchant_name) as merchant_name,
               any_value(category) as category, sum(n_counted)::bigint as n_counted,
               sum(n_reopened)::bigint as n_reopened,
               sum(n_reopened) / nullif(sum(n_counted), 0) as reopen_rate,
               sum(n_repeat_buyer_complaints)::bigint as n_repeat_buyer_complaints,
               sum(n_repeat_buyer_complaints) / nullif(sum(n_counted), 0) as repeat_buyer_rate
           from marts.reopen_and_repeat_rates where {where}
           group by merchant_id order by reopen_rate desc nulls last""",
        params,
    )


# What a corrective action is, as its tables show it (the recurrence page and the drill-down).
ACTION_DESCRIPTION_COLUMNS = (
    "sku_id",
    "scope",
    "issue_type",
    "action_type",
    "opened_at",
    "completed_at",
)


@_cached
def corrective_actions(source: Source, filters: Filters) -> pd.DataFrame:
    """Actions active during the period (opened before its end, not completed before its start)."""
    where, params = _where(filters, None, channel=False)
    if filters.week_to is not None:
        where += " and opened_at < ?"
        params.append(
            dt.datetime.combine(filters.week_to + dt.timedelta(days=7), dt.time(), tzinfo=dt.UTC)
        )
    if filters.week_from is not None:
        where += " and (completed_at is null or completed_at >= ?)"
        params.append(dt.datetime.combine(filters.week_from, dt.time(), tzinfo=dt.UTC))
    return _frame(
        source,
        f"""select action_id, merchant_id, merchant_name, category, sku_id, scope, issue_type,
               action_type, opened_at, completed_at, before_order_lines, before_defect_rate,
               after_order_lines, after_defect_rate, relative_change, relative_change_ci_low,
               relative_change_ci_high, z_statistic, p_value, power, is_effective,
               is_mature, evaluation
           from marts.corrective_action_effectiveness where {where}
           order by opened_at desc, action_id""",
        params,
    )


# ---- scorecards ------------------------------------------------------------------------------


@_cached
def scorecard_weeks(source: Source, filters: Filters) -> list[str]:
    """ISO weeks with a scorecard inside the period, newest first."""
    where, params = _where(filters, "week_start", channel=False, merchant=False, category=False)
    frame = _frame(
        source,
        f"""select distinct iso_week, week_start from marts.merchant_scorecard_weekly
           where {where} order by week_start desc""",
        params,
    )
    return frame["iso_week"].tolist()


@_cached
def scorecard(source: Source, filters: Filters, iso_week: str) -> pd.DataFrame:
    """The weekly merchant scorecard rows of one week for the selection, worst grade first."""
    where, params = _where(filters, None, channel=False)
    return _frame(
        source,
        f"""select * from marts.merchant_scorecard_weekly where iso_week = ? and {where}
           order by grade desc, defect_rate desc nulls last, merchant_id""",
        [iso_week, *params],
    )


# ---- data quality ----------------------------------------------------------------------------

DQ_TABLES = {
    "dq_freshness": "marts.dq_freshness",
    "dq_file_ledger": "marts.dq_file_ledger",
    "dq_quarantine": "marts.dq_quarantine",
    "dq_expectations": "marts.dq_expectation_results",
    "dq_warnings": "marts.dq_warnings",
    "dq_orphans": "marts.dq_orphans",
    "dq_sla_stage_observation": "marts.dq_sla_stage_observation",
    "dq_build": "marts.build_info",
}


@_cached
def dq_table(source: Source, name: str, limit: int = 1000) -> pd.DataFrame:
    """One data-quality mart (by its allow-listed short name), at most ``limit`` rows."""
    if name not in DQ_TABLES:
        raise ValueError(f"not a data-quality table: {name}")
    return _frame(source, f"select * from {DQ_TABLES[name]} limit ?", [limit])
