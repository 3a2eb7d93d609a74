"""Overview: headline KPIs against the previous period, weekly trends, Pareto, channels, alerts."""

import plotly.graph_objects as go
import streamlit as st

from dashboards import data, terms
from dashboards.context import page_context
from dashboards.widgets import (
    PALETTE,
    add_maturity_series,
    kpi,
    layout,
    no_data,
    page_header,
    plot,
    table,
    table_or_no_data,
)
from flows import formatting as fmt
from flows.config import SLA_STAGES

REMEDY_MIX_CELLS = 10  # issue type x responsibility cells in the remedy-mix chart

ctx = page_context()
page_header(ctx, "page_overview")
kpis = data.overview_kpis(ctx.source, ctx.filters)
now, before = kpis["current"], kpis["previous"] or {}
previous = ctx.filters.previous()
# A previous period reaching before the first week with data would compare against a partial
# period: show no change rather than a misleading one.
previous_partial = previous is not None and previous.week_from < ctx.options["weeks"][0]
if previous_partial:
    before = {}


def small_rate(rate: float | None, n: int, n_before: int | None, digits: int = 2):
    """(value, delta allowed, help) of a rate tile: "—" below the minimum base, always its n."""
    minimum = data.min_rate_base()
    if fmt.too_few(n, minimum):
        return fmt.DASH, False, ctx.t("rate_too_few", n=n, minimum=minimum)
    return (
        fmt.pct(rate, digits),
        not fmt.too_few(n_before, minimum),
        ctx.t("rate_n", n=fmt.count(n)),
    )


def coded_bars(
    frame, code: tuple[str, str], value: str, words: tuple[str, str, str], colour: int, key: str
) -> bool:
    """One bar per code of ``code`` = (coded column, code kind), worded by its label, or the
    no-data note; ``words`` = catalogue keys of the title, the code axis and the value axis
    (which also names the bars). True when drawn."""
    if frame.empty:
        no_data(ctx)
        return False
    column, kind = code
    title, code_axis, value_axis = (ctx.t(w) for w in words)
    fig = go.Figure(
        go.Bar(
            x=[ctx.enum(kind, c) for c in frame[column]],
            y=frame[value],
            marker_color=PALETTE[colour],
            name=value_axis,
        )
    )
    layout(fig, title, code_axis, value_axis)
    plot(fig, key)
    return True


def count_delta(key: str, money: bool = False) -> str | None:
    if not before or before.get(key) is None or now.get(key) is None:
        return None
    change = now[key] - before[key]
    if money:
        shown = fmt.compact_money(abs(change), ctx.currency, ctx.lang)
        return ("-" if change < 0 else "+") + shown
    return ("-" if change < 0 else "+") + fmt.compact(abs(change), ctx.lang)


st.subheader(ctx.t("section_kpis"))
if previous_partial:
    st.caption(ctx.t("previous_partial"))
if ctx.filters.channel is not None:
    st.caption(ctx.t("channel_not_applicable"))
immature_help = None if now["rates_mature"] else ctx.t("period_has_immature")
row = st.columns(5)
with row[0]:
    kpi(
        ctx.t("kpi_complaints"),
        fmt.compact(now["n_complaints"], ctx.lang),
        count_delta("n_complaints"),
        higher_is_worse=True,
        help=fmt.count(now["n_complaints"]),
    )
for column, key, label in (
    (row[1], "complaint_rate", "kpi_complaint_rate"),
    (row[2], "defect_rate", "kpi_defect_rate"),
):
    with column:
        shown, deltas, base = small_rate(
            now[key], now["order_lines"], before.get("order_lines") if before else None
        )
        kpi(
            ctx.t(label),
            shown,
            fmt.points_delta(now[key], before.get(key)) if deltas else None,
            higher_is_worse=True,
            help=base if immature_help is None else f"{base} · {immature_help}",
        )
with row[3]:
    shown, deltas, base = small_rate(
        now["recurrence_rate"], now["recurrence_n"], before.get("recurrence_n")
    )
    kpi(
        ctx.t("kpi_recurrence_rate"),
        shown,
        fmt.points_delta(now["recurrence_rate"], before.get("recurrence_rate")) if deltas else None,
        higher_is_worse=True,
        help=base + " · " + ctx.t("recurrence_help"),
    )
with row[4]:
    kpi(
        ctx.t("kpi_refunds"),
        fmt.compact_money(now["refunds_compensation"], ctx.currency, ctx.lang),
        count_delta("refunds_compensation", money=True),
        higher_is_worse=True,
        # The full amount: the tile shows a compact one when the full one would not fit.
        help=fmt.money(now["refunds_compensation"], ctx.currency),
    )
row = st.columns(len(SLA_STAGES))
for column, stage in zip(row, SLA_STAGES, strict=True):
    with column:
        shown, deltas, base = small_rate(
            now["sla"][stage], now["sla_n"][stage], (before.get("sla_n") or {}).get(stage), 1
        )
        kpi(
            ctx.t("kpi_sla", stage=ctx.enum("stage", stage)),
            shown,
            fmt.points_delta(now["sla"][stage], (before.get("sla") or {}).get(stage))
            if deltas
            else None,
            help=base,
        )
if not now["rates_mature"]:
    st.caption(ctx.t("period_has_immature"))
if not ctx.has_orders:
    st.info(ctx.t("no_orders"))

st.subheader(ctx.t("section_trends"))
left, right = st.columns(2)
with left:
    weekly = data.weekly_complaints(ctx.source, ctx.filters)
    if weekly.empty:
        no_data(ctx)
    else:
        fig = go.Figure(
            go.Bar(
                x=weekly["received_week"],
                y=weekly["n_complaints"],
                name=ctx.t("axis_complaints"),
                marker_color=PALETTE[0],
            )
        )
        layout(
            fig,
            ctx.t("chart_complaints_weekly"),
            ctx.t("axis_received_week"),
            ctx.t("axis_complaints"),
        )
        plot(fig, "overview_complaints")
with right:
    rates = data.weekly_rates(ctx.source, ctx.filters)
    if rates.empty:
        no_data(ctx, needs_orders=True)
    else:
        fig = go.Figure()
        for series, colour in (("complaint_rate", PALETTE[0]), ("defect_rate", PALETTE[1])):
            add_maturity_series(
                fig,
                rates,
                "order_week",
                series,
                ctx.t(f"series_{series}"),
                ctx.t("series_immature"),
                colour,
            )
        layout(
            fig, ctx.t("chart_rates_weekly"), ctx.t("axis_order_week"), ctx.t("axis_rate"), pct=True
        )
        plot(fig, "overview_rates")
        st.caption(ctx.t("immature_note"))

left, right = st.columns(2)
with left:
    st.subheader(ctx.t("section_pareto"))
    pareto = data.issue_pareto(ctx.source, ctx.filters)
    if pareto.empty:
        no_data(ctx)
    else:
        labels = [ctx.enum("issue_type", code) for code in pareto["issue_type"]]
        # Bars across, largest on top: issue names (four Chinese characters, or two English
        # words) read level at any width instead of crowding a category axis.
        fig = go.Figure()
        fig.add_trace(
            go.Bar(
                y=labels,
                x=pareto["n_complaints"],
                orientation="h",
                name=ctx.t("axis_complaints"),
                marker_color=PALETTE[0],
            )
        )
        fig.add_trace(
            go.Scatter(
                y=labels,
                x=pareto["cum_share"],
                name=ctx.t("axis_cum_share"),
                xaxis="x2",
                mode="lines+markers",
                line={"color": PALETTE[1]},
            )
        )
        layout(fig, ctx.t("chart_pareto"), ctx.t("axis_complaints"), ctx.t("axis_issue_type"))
        fig.update_layout(
            xaxis2={
                "overlaying": "x",
                "side": "top",
                "tickformat": ".0%",
                "range": [0, 1.05],
                "dtick": 0.25,  # 0 %, 25 %, … 100 %: quarter steps read at a glance
                "showgrid": False,
            },
            yaxis={"autorange": "reversed", "automargin": True},
            # The cumulative share is named by the legend; its axis is the top one.
            margin={"t": 90},
        )
        plot(fig, "overview_pareto")
with right:
    st.subheader(ctx.t("section_channels"))
    coded_bars(
        data.channel_mix(ctx.source, ctx.filters),
        ("channel", "channel"),
        "n_complaints",
        ("chart_channels", "axis_channel", "axis_complaints"),
        2,
        "overview_channels",
    )

st.subheader(ctx.t("section_outcomes"))
left, right = st.columns(2)
with left:
    mix = data.remedy_mix(ctx.source)
    if mix.empty:
        st.markdown(f"**{ctx.t('outcomes_remedy_mix')}**")
        no_data(ctx)
    else:
        cells = mix[["issue_type", "responsibility"]].drop_duplicates().head(REMEDY_MIX_CELLS)
        mix = mix.merge(cells, on=["issue_type", "responsibility"])
        mix["cell"] = [
            f"{ctx.enum('issue_type', i)} · {ctx.enum('responsibility', r)}"
            for i, r in zip(mix["issue_type"], mix["responsibility"], strict=True)
        ]
        fig = go.Figure()
        for k, remedy in enumerate(dict.fromkeys(mix["remedy"])):
            part = mix[mix["remedy"] == remedy]
            fig.add_trace(
                go.Bar(
                    x=part["share_of_cell"],
                    y=part["cell"],
                    orientation="h",
                    name=ctx.enum("remedy", remedy),
                    marker_color=PALETTE[k % len(PALETTE)],
                    customdata=part["n_complaints"],
                    hovertemplate="%{y}: %{x:.0%} (%{customdata})",
                )
            )
        fig.update_layout(barmode="stack")
        fig.update_yaxes(autorange="reversed")  # the largest cell on top
        fig.update_xaxes(tickformat=".0%")
        layout(fig, ctx.t("outcomes_remedy_mix"), ctx.t("axis_share"), ctx.t("axis_cell"))
        plot(fig, "overview_remedy_mix")
        st.caption(ctx.t("outcomes_remedy_caption", n=len(cells)))
with right:
    st.markdown(f"**{ctx.t('outcomes_cost')}**")
    cost = data.resolution_cost(ctx.source, ctx.filters)
    if coded_bars(
        cost,
        ("borne_by", "responsibility"),
        "total_cost",
        ("outcomes_cost", "axis_borne_by", "axis_cost"),
        3,
        "overview_cost",
    ):
        table(ctx, cost, key="overview_cost")
        st.caption(ctx.t("outcomes_cost_caption"))

st.subheader(ctx.t("section_alerts"))
alerts = data.defect_alerts(ctx.source, ctx.filters)
st.metric(ctx.t("kpi_open_alerts"), fmt.count(len(alerts) if ctx.has_orders else None))
table_or_no_data(
    ctx,
    alerts,
    [
        "order_week",
        "sku_id",
        "sku_name",
        "merchant_name",
        "order_lines",
        "defect_lines",
        "defect_rate",
        "ucl",
        "is_mature",
        "complaint_ids",
    ],
)

term = terms.render(ctx, "overview")
if term:
    rows, total = data.complaints(ctx.source, ctx.filters, term=term)
    st.caption(ctx.t("rows_shown", shown=len(rows), total=total))
    table_or_no_data(
        ctx,
        rows,
        ["complaint_id", "received_at", "sku_name", "merchant_name", "issue_type", "description"],
    )
