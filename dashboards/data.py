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
from flows.contract import CODES
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
    rec_where, rec_params = _where(filters, "closed_week")
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
            f"""select count(*) filter (where is_in_rate)::bigint as n_in_rate,
                   count(*) filter (where is_in_rate and has_recurred)::bigint as n_recurred
               from marts.complaint_recurrence where {rec_where}""",
            rec_params,
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


def min_rate_base() -> int:
    """The cases a rate tile needs before it shows a rate (below: "—" and the reason)."""
    return _SETTINGS.min_rate_base


def min_volume_order_lines() -> int:
    """The order lines a merchant needs in a window to be graded, ranked or flagged."""
    return _SETTINGS.min_volume_order_lines


def _merchant_rates_query(filters: Filters) -> tuple[str, list[object]]:
    where, params = _where(filters, "order_week", alias="w", channel=False)
    sql = f"""with period as (
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
               marts.safe_rate(period.defect_lines, period.order_lines) as defect_rate,
               marts.wilson_low(period.defect_lines, period.order_lines) as defect_rate_ci_low,
               marts.wilson_high(period.defect_lines, period.order_lines) as defect_rate_ci_high,
               grades.shrunk_defect_rate, grades.category_rank, grades.grade,
               coalesce(grades.grade_status, 'insufficient_volume') as grade_status,
               grades.order_lines as graded_order_lines,
               period.order_lines >= ? as has_min_volume, period.is_mature
           from period
           left join marts.merchant_grades as grades
               on grades.merchant_id = period.merchant_id and grades.is_latest_window"""
    return sql, [*params, _SETTINGS.min_volume_order_lines]


# Ranked merchants first by the mature window's shrunk rate, then the rest (insufficient
# volume) by volume.
_MERCHANT_ORDER = """order by category_rank is null, shrunk_defect_rate desc nulls last,
    order_lines desc, merchant_id"""


@_cached
def merchant_rates(source: Source, filters: Filters) -> pd.DataFrame:
    """Per merchant over the period: defect rate with its Wilson interval and volume; the grade,
    shrunk rate and category rank of the latest mature grading window (marts.merchant_grades)."""
    sql, params = _merchant_rates_query(filters)
    return _frame(source, f"select * from ({sql}) {_MERCHANT_ORDER}", params)


# Points of each funnel limit curve (log-spaced between 0.8 x the smallest volume and 1.2 x the
# largest).
FUNNEL_POINTS = 80


@_cached
def merchant_funnel(source: Source, filters: Filters) -> dict[str, Any]:
    """The funnel plot of the merchants with order lines in the period.

    ``merchants``: merchant_rates' rows with ``is_above_warning`` / ``is_above_control`` (defect
    rate above the platform rate's 95 % / 99.8 % upper limit at the merchant's volume);
    ``limits``: the limit curves over the volumes shown; ``platform_rate``, ``defect_lines``,
    ``order_lines``: the platform (these merchants pooled). Every limit is
    ``marts.funnel_limit`` with ``marts.funnel_z_warning()`` / ``marts.funnel_z_control()``, the
    definitions dbt persisted.
    """
    rates_sql, params = _merchant_rates_query(filters)
    shown = f"""rates as ({rates_sql}),
        shown as (select * from rates where order_lines > 0),
        platform as (
            select sum(defect_lines)::bigint as defect_lines,
                sum(order_lines)::bigint as order_lines,
                marts.safe_rate(sum(defect_lines), sum(order_lines)) as platform_rate,
                greatest(1, min(order_lines) * 0.8) as low_volume,
                max(order_lines) * 1.2 as high_volume
            from shown
        )"""
    merchants, limits, platform = _frames(
        source,
        (
            f"""with {shown}
               select shown.*,
                   -- only merchants at the minimum volume are flagged; small ones are shown grey
                   shown.has_min_volume and shown.defect_rate > marts.funnel_limit(
                       platform.platform_rate, shown.order_lines, marts.funnel_z_warning(), 1
                   ) as is_above_warning,
                   shown.has_min_volume and shown.defect_rate > marts.funnel_limit(
                       platform.platform_rate, shown.order_lines, marts.funnel_z_control(), 1
                   ) as is_above_control
               from shown cross join platform
               order by shown.defect_rate desc nulls last""",
            params,
        ),
        (
            f"""with {shown},
               grid as (
                   select platform_rate, exp(ln(low_volume) + point * (ln(high_volume)
                       - ln(low_volume)) / {FUNNEL_POINTS - 1}) as order_lines
                   from platform cross join range({FUNNEL_POINTS}) as points (point)
                   where platform_rate is not null
               )
               select order_lines,
                   marts.funnel_limit(platform_rate, order_lines, marts.funnel_z_warning(), -1)
                       as warning_low,
                   marts.funnel_limit(platform_rate, order_lines, marts.funnel_z_warning(), 1)
                       as warning_high,
                   marts.funnel_limit(platform_rate, order_lines, marts.funnel_z_control(), -1)
                       as control_low,
                   marts.funnel_limit(platform_rate, order_lines, marts.funnel_z_control(), 1)
                       as control_high
               from grid order by order_lines""",
            params,
        ),
        (
            f"with {shown} select defect_lines, order_lines, platform_rate from platform",
            params,
        ),
    )
    row = platform.iloc[0]
    return {
        "merchants": merchants,
        "limits": limits,
        "platform_rate": None if pd.isna(row["platform_rate"]) else float(row["platform_rate"]),
        "defect_lines": 0 if pd.isna(row["defect_lines"]) else int(row["defect_lines"]),
        "order_lines": 0 if pd.isna(row["order_lines"]) else int(row["order_lines"]),
    }


@_cached
def sku_rates(source: Source, filters: Filters) -> pd.DataFrame:
    """Per SKU over the period: order lines, complaint and defect lines and rates; the shrunk rate
    and category rank of the latest mature grading window (marts.sku_rankings), ranked SKUs first
    (worst shrunk rate first), then the rest by defect lines."""
    where, params = _where(filters, "order_week", alias="w", channel=False)
    return _frame(
        source,
        f"""with period as (
               select w.sku_id, any_value(w.sku_name) as sku_name,
                   any_value(w.merchant_id) as merchant_id,
                   any_value(w.merchant_name) as merchant_name, any_value(w.category) as category,
                   sum(w.order_lines)::bigint as order_lines,
                   sum(w.complaint_lines)::bigint as complaint_lines,
                   sum(w.defect_lines)::bigint as defect_lines,
                   bool_and(w.is_mature) as is_mature
               from marts.sku_defect_rates_weekly as w where {where}
               group by w.sku_id
           )
           select period.sku_id, period.sku_name, period.merchant_id, period.merchant_name,
               period.category, period.order_lines, period.complaint_lines, period.defect_lines,
               marts.safe_rate(period.complaint_lines, period.order_lines) as complaint_rate,
               marts.safe_rate(period.defect_lines, period.order_lines) as defect_rate,
               ranks.shrunk_defect_rate, ranks.category_rank,
               coalesce(ranks.rank_status, 'insufficient_volume') as rank_status,
               ranks.order_lines as ranked_order_lines, period.is_mature
           from period
           left join marts.sku_rankings as ranks
               on ranks.sku_id = period.sku_id and ranks.is_latest_window
           order by ranks.category_rank is null, ranks.shrunk_defect_rate desc nulls last,
               period.defect_lines desc, period.sku_id""",
        params,
    )


_COMPLAINT_COLUMNS = (
    "complaint_id, order_id, sku_id, sku_name, merchant_name, channel, issue_type, "
    "responsibility, remedy, status, description, buyer_phone_masked, received_at, "
    "refund_amount, compensation_amount, satisfaction, reopen_count"
)


@_cached
def complaints(
    source: Source,
    filters: Filters,
    sku_id: str | None = None,
    limit: int = 500,
    term: str | None = None,
) -> tuple[pd.DataFrame, int]:
    """The latest complaints of the selection (never the phone hash) and how many there are;
    with ``term``, only those whose description mentions it (``marts.complaint_terms``)."""
    where, params = _where(filters, "received_week")
    if sku_id is not None:
        where += " and sku_id = ?"
        params.append(sku_id)
    if term is not None:
        where += (
            " and complaint_id in (select complaint_id from marts.complaint_terms where term = ?)"
        )
        params.append(term)
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


# The groupings the SLA page rolls the weekly counts up to (allow-listed identifiers).
SLA_GROUPINGS = {
    "week_channel_stage": ("received_week", "channel", "stage"),
    "week_stage": ("received_week", "stage"),
    "stage_channel": ("stage", "channel"),
}


@_cached
def sla_weekly(
    source: Source, filters: Filters, grouping: str = "week_channel_stage"
) -> pd.DataFrame:
    """SLA counts and compliance per received week × channel × stage (or a coarser allow-listed
    grouping) for the selection, with the mart's ``n_pending`` and ``is_provisional`` (true when
    any of the summed rows is provisional)."""
    if grouping not in SLA_GROUPINGS:
        raise ValueError(f"not an allowed SLA grouping: {grouping}")
    keys = ", ".join(SLA_GROUPINGS[grouping])
    where, params = _where(filters, "received_week")
    return _frame(
        source,
        f"""select {keys}, sum(n_met)::bigint as n_met,
               sum(n_breached)::bigint as n_breached,
               sum(n_open_overdue)::bigint as n_open_overdue,
               sum(n_measured)::bigint as n_measured,
               sum(n_pending)::bigint as n_pending,
               bool_or(is_provisional) as is_provisional,
               marts.safe_rate(sum(n_met), sum(n_measured)) as compliance_rate
           from marts.sla_compliance_merchant_weekly where {where}
           group by {keys} order by {keys}""",
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
               marts.wilson_low(n_met, n_measured) as compliance_rate_ci_low,
               marts.wilson_high(n_met, n_measured) as compliance_rate_ci_high
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
def satisfaction_sla_effect(source: Source) -> pd.DataFrame:
    """Mean satisfaction when the resolution deadline was met vs breached, per channel and for
    all channels, with the interval on the difference (whole data: surveys are sparse)."""
    return _frame(
        source,
        """select channel, n_met, mean_met, n_breached, mean_breached, difference,
               difference_ci_low, difference_ci_high
           from marts.satisfaction_sla_effect
           order by channel = 'all' desc, channel""",
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


# ---- compliance (legal entitlements) --------------------------------------------------------

LEGAL_RULES = (
    "defect_return",
    "defect_exchange",
    "defect_repair",
    "no_reason_return",
    "counterfeit_compensation",
)
LEGAL_BELOW_COLUMNS = (
    "complaint_id",
    "merchant_id",
    "merchant_name",
    "category",
    "sku_id",
    "channel",
    "issue_type",
    "days_since_delivery",
    "below_rule",
    "entitled_remedy",
    "remedy_given",
    "is_accepted",
    "paid_amount",
    "required_compensation",
    "compensation_amount",
    "compensation_shortfall",
    "received_at",
    "closed_at",
)


def _legal_where(filters: Filters, rule: str | None) -> tuple[str, list[object]]:
    where, params = _where(filters, "received_week")
    if rule is not None:
        if rule not in LEGAL_RULES:
            raise ValueError(f"not a legal rule: {rule}")
        where += " and below_rule = ?"
        params.append(rule)
    return where, params


@_cached
def legal_below(
    source: Source, filters: Filters, rule: str | None = None, limit: int | None = 500
) -> tuple[pd.DataFrame, int]:
    """Closed complaints below the buyer's legal entitlement, largest money shortfall first."""
    where, params = _legal_where(filters, rule)
    rows, total = _frames(
        source,
        (
            f"""select {", ".join(LEGAL_BELOW_COLUMNS)}
               from marts.legal_entitlement_checks where is_below_entitlement and {where}
               order by compensation_shortfall desc nulls last, received_at, complaint_id
               limit ?""",
            [*params, limit if limit is not None else 2**62],
        ),
        (
            f"""select count(*) as n from marts.legal_entitlement_checks
               where is_below_entitlement and {where}""",
            params,
        ),
    )
    return rows, int(total["n"].iloc[0])


@_cached
def legal_rates_by_merchant(source: Source, filters: Filters) -> pd.DataFrame:
    """Per merchant over the period: below-entitlement rate among complaints with an
    entitlement, with its Wilson interval, worst first."""
    where, params = _where(filters, "received_week")
    return _frame(
        source,
        f"""with period as (
               select merchant_id, any_value(merchant_name) as merchant_name,
                   any_value(category) as category, sum(n_checked)::bigint as n_checked,
                   sum(n_entitled)::bigint as n_entitled, sum(n_below)::bigint as n_below,
                   sum(n_lower_accepted)::bigint as n_lower_accepted,
                   sum(compensation_shortfall) as compensation_shortfall
               from marts.legal_compliance_weekly where {where} group by merchant_id
           )
           select *, marts.safe_rate(n_below, n_entitled) as below_rate,
               marts.wilson_low(n_below, n_entitled) as below_rate_ci_low,
               marts.wilson_high(n_below, n_entitled) as below_rate_ci_high
           from period
           order by below_rate desc nulls last, n_below desc, merchant_id""",
        params,
    )


@_cached
def legal_rules_broken(source: Source, filters: Filters) -> pd.DataFrame:
    """How often each rule was fallen short of over the period, most broken first."""
    where, params = _where(filters, "received_week")
    sums = ", ".join(f"sum(n_below_{rule})::bigint as {rule}" for rule in LEGAL_RULES)
    frame = _frame(
        source, f"select {sums} from marts.legal_compliance_weekly where {where}", params
    )
    counts = frame.iloc[0].fillna(0).astype(int) if not frame.empty else pd.Series(dtype=int)
    out = pd.DataFrame(
        {"rule": list(LEGAL_RULES), "n_below": [int(counts.get(r, 0)) for r in LEGAL_RULES]}
    )
    return out.sort_values(["n_below", "rule"], ascending=[False, True]).reset_index(drop=True)


# ---- resolution outcomes ---------------------------------------------------------------------


@_cached
def remedy_mix(source: Source) -> pd.DataFrame:
    """Which remedies closed counted complaints, per issue type x responsibility cell, largest
    cells first (whole data: the mart has no week or merchant)."""
    return _frame(
        source,
        """select issue_type, responsibility, remedy, n_complaints, n_cell, share_of_cell
           from marts.remedy_mix
           order by n_cell desc, issue_type, responsibility, n_complaints desc, remedy""",
        [],
    )


@_cached
def resolution_cost(source: Source, filters: Filters) -> pd.DataFrame:
    """Refunds and compensation of counted complaints over the period by who bears them, most
    costly first. The cost mart has no channel; the category filter is the merchant's."""
    where, params = _where(filters, "received_week", channel=False, category=False)
    if filters.category is not None:
        where += " and merchant_id in (select merchant_id from marts.complaints where category = ?)"
        params.append(filters.category)
    return _frame(
        source,
        f"""select borne_by, sum(n_complaints)::bigint as n_complaints,
               sum(n_paid)::bigint as n_paid, sum(refund_amount) as refund_amount,
               sum(compensation_amount) as compensation_amount, sum(total_cost) as total_cost
           from marts.resolution_cost_weekly where {where}
           group by borne_by
           order by total_cost desc, borne_by""",
        params,
    )


LAB_TEST_COLUMNS = (
    "category_l1",
    "n_complaints",
    "n_lab_tested",
    "lab_test_rate",
    "n_completed",
    "turnaround_hours_median",
    "turnaround_working_hours_median",
    "turnaround_hours_p90",
    "n_defect_confirmed",
    "defect_confirmed_share",
    "n_awaiting_result",
)
INFO_REQUEST_COLUMNS = (
    "channel",
    "n_complaints",
    "n_asked",
    "asked_rate",
    "requests_per_asked",
    "n_answered",
    "n_never_answered",
    "never_answered_share",
    "n_awaiting",
    "response_hours_median",
    "response_hours_p90",
)


@_cached
def lab_tests(source: Source) -> pd.DataFrame:
    """Lab-test rate, turnaround (calendar and working hours) and outcome per SKU category, the
    all-categories row first (whole data)."""
    return _frame(
        source,
        """select * replace (
               round(turnaround_hours_median, 1) as turnaround_hours_median,
               round(turnaround_hours_p90, 1) as turnaround_hours_p90,
               round(turnaround_working_hours_median, 1) as turnaround_working_hours_median,
               round(turnaround_working_hours_p90, 1) as turnaround_working_hours_p90)
           from marts.lab_test_outcomes
           order by category_l1 = 'all' desc, n_lab_tests desc, category_l1""",
        [],
    )


@_cached
def info_requests(source: Source) -> pd.DataFrame:
    """Information-request loops per channel, all channels first (whole data)."""
    return _frame(
        source,
        """select * replace (
               round(requests_per_asked, 2) as requests_per_asked,
               round(response_hours_median, 1) as response_hours_median,
               round(response_hours_p90, 1) as response_hours_p90)
           from marts.info_request_loops
           order by channel = 'all' desc, channel""",
        [],
    )


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


# The codes of marts.complaints.backlog_age_bucket, youngest first (the chart shows empty ones too).
AGE_BUCKETS = tuple(CODES["backlog_age_bucket"])


@_cached
def backlog_ageing(source: Source, filters: Filters) -> pd.DataFrame:
    """Open complaints (``marts.complaints.is_open``) per age bucket at as_of, in bucket order."""
    where, params = _where(filters, "received_week")
    return _frame(
        source,
        f"""select backlog_age_bucket as age_bucket, count(*) as n_complaints,
               min(backlog_age_days) as min_age_days
           from marts.complaints where is_open and {where}
           group by backlog_age_bucket order by min_age_days""",
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
    return _frame(
        source,
        f"""with agg as (
               select {id_sql} as group_id, {name_sql} as group_name,
                   count(*) filter (where is_in_rate)::bigint as n_closed_in_rate,
                   count(*) filter (where is_in_rate and has_recurred)::bigint as n_recurred
               from marts.complaint_recurrence where {where} and {id_sql} is not null
               group by group_id
           )
           select group_id, group_name, n_closed_in_rate, n_recurred,
               marts.safe_rate(n_recurred, n_closed_in_rate) as recurrence_rate,
               marts.wilson_low(n_recurred, n_closed_in_rate) as recurrence_rate_ci_low,
               marts.wilson_high(n_recurred, n_closed_in_rate) as recurrence_rate_ci_high
           from agg
           order by recurrence_rate desc nulls last, n_closed_in_rate desc, group_id""",
        params,
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
    "dq_assumed_values": "marts.dq_assumed_values",
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


# ---- complaint text --------------------------------------------------------------------------

_TEXT_MARTS = ("complaint_terms", "term_trends_weekly", "emerging_terms")


@_cached
def has_text_marts(source: Source) -> bool:
    """Whether the build holds the complaint-text marts (older warehouses do not)."""
    found = _frame(
        source,
        "select count(*) as n from information_schema.tables "
        "where table_schema = 'marts' and table_name in (?, ?, ?)",
        _TEXT_MARTS,
    )
    return int(found["n"].iloc[0]) == len(_TEXT_MARTS)


def _term_scope(filters: Filters, sku_id: str | None) -> tuple[str, list[object]]:
    """The term marts' scope for a page: the SKU, else the categories of the filter."""
    if sku_id is not None:
        return "scope = 'sku' and scope_id = ?", [sku_id]
    if filters.category is not None:
        return "scope = 'category' and scope_id = ?", [filters.category]
    return "scope = 'category'", []


@_cached
def top_terms(
    source: Source, filters: Filters, sku_id: str | None = None, limit: int = 15
) -> pd.DataFrame:
    """The most mentioned terms of the period's last week, with their baseline (mart columns
    summed over the categories when the page shows all of them)."""
    if filters.week_to is None:
        return pd.DataFrame(columns=["term", "n_complaints", "baseline_mean", "share"])
    scope, params = _term_scope(filters, sku_id)
    return _frame(
        source,
        f"""select term, sum(n_complaints)::bigint as n_complaints,
                   sum(coalesce(baseline_mean, 0)) as baseline_mean,
                   sum(n_complaints) / sum(n_scope_complaints) as share
            from marts.term_trends_weekly
            where {scope} and received_week = ?
            group by term order by n_complaints desc, term limit ?""",
        [*params, filters.week_to, limit],
    )


@_cached
def term_trend(
    source: Source, filters: Filters, terms: tuple[str, ...], sku_id: str | None = None
) -> pd.DataFrame:
    """Weekly mentions of ``terms`` in the period (weeks without a mention are absent)."""
    if not terms:
        return pd.DataFrame(columns=["term", "received_week", "n_complaints"])
    scope, params = _term_scope(filters, sku_id)
    where, week_params = _where(filters, "received_week", channel=False, merchant=False,
                                category=False)  # fmt: skip
    marks = ", ".join("?" for _ in terms)
    return _frame(
        source,
        f"""select term, received_week, sum(n_complaints)::bigint as n_complaints
            from marts.term_trends_weekly
            where {scope} and {where} and term in ({marks})
            group by term, received_week order by term, received_week""",
        [*params, *week_params, *terms],
    )


@_cached
def emerging_terms(
    source: Source, filters: Filters, sku_id: str | None = None, limit: int = 50
) -> pd.DataFrame:
    """Emerging terms of the period: the SKU's, else those of SKUs and categories in the filter."""
    where, params = _where(filters, "received_week", channel=False)
    if sku_id is not None:
        where += " and scope = 'sku' and scope_id = ?"
        params.append(sku_id)
    return _frame(
        source,
        f"""select iso_week, received_week, scope, scope_id, sku_name, merchant_name, term,
                   n_complaints, expected_complaints, p_value, complaint_ids
            from marts.emerging_terms where {where}
            order by received_week desc, p_value, scope, scope_id, term limit ?""",
        [*params, limit],
    )


@_cached
def term_examples(source: Source, complaint_ids: tuple[str, ...], limit: int = 3) -> list[str]:
    """Descriptions (phones masked in the warehouse) of a few of the given complaints."""
    ids = complaint_ids[:limit]
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    frame = _frame(
        source,
        f"""select description from marts.complaints
            where complaint_id in ({marks}) and description is not null
            order by complaint_id""",
        list(ids),
    )
    return frame["description"].tolist()
