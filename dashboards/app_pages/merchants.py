"""Merchants: funnel plot against the platform rate, a sortable table, and a drill-down."""

import dataclasses

import plotly.graph_objects as go
import streamlit as st

from dashboards import data
from dashboards.context import page_context
from dashboards.widgets import (
    PALETTE,
    add_maturity_series,
    layout,
    log_ticks,
    no_data,
    page_header,
    plot,
    table,
    table_or_no_data,
)
from flows import formatting as fmt

ctx = page_context()
page_header(ctx, "page_merchants")
if ctx.filters.channel is not None:
    st.caption(ctx.t("channel_not_applicable"))
funnel = data.merchant_funnel(ctx.source, dataclasses.replace(ctx.filters, merchant_id=None))
merchants, limits = funnel["merchants"], funnel["limits"]
if merchants.empty:
    no_data(ctx, needs_orders=True)
    st.stop()

platform = funnel["platform_rate"]
fig = go.Figure()
for bound, name, dash in (
    ("warning", "series_limit95", "dash"),
    ("control", "series_limit998", "dot"),
):
    for side, show in (("high", True), ("low", False)):
        fig.add_trace(
            go.Scatter(
                x=limits["order_lines"],
                y=limits[f"{bound}_{side}"],
                mode="lines",
                name=ctx.t(name),
                showlegend=show,
                legendgroup=name,
                line={"color": "#555", "dash": dash},
            )
        )
fig.add_hline(y=platform, line_color=PALETTE[0], annotation_text=ctx.t("series_platform"))
# Only merchants at or above the minimum volume are flagged (data.merchant_funnel); the
# small ones are drawn grey.
enough = merchants["has_min_volume"].astype(bool)
outside, warning = merchants["is_above_control"], merchants["is_above_warning"]
colours = [
    PALETTE[1] if out else (PALETTE[3] if warn else (PALETTE[0] if big else "#c8c8c8"))
    for out, warn, big in zip(outside, warning, enough, strict=True)
]
# Merchants whose period includes immature weeks are drawn as open circles.
symbols = ["circle" if mature else "circle-open" for mature in merchants["is_mature"]]
fig.add_trace(
    go.Scatter(
        x=merchants["order_lines"],
        y=merchants["defect_rate"],
        mode="markers+text",
        # Names beside the flagged merchants only (no overlapping labels); every point has a
        # hover label with its n, small merchants marked as too small to flag.
        text=[
            name if warn or mid == ctx.filters.merchant_id else ""
            for name, mid, warn in zip(
                merchants["merchant_name"], merchants["merchant_id"], warning, strict=True
            )
        ],
        hovertext=[
            f"{name} ({mid})<br>{fmt.pct(rate)} · {fmt.count(n)}"
            + ("" if big else f"<br>{ctx.t('insufficient_volume')}")
            for name, mid, rate, n, big in zip(
                merchants["merchant_name"],
                merchants["merchant_id"],
                merchants["defect_rate"],
                merchants["order_lines"],
                enough,
                strict=True,
            )
        ],
        hoverinfo="text",
        textposition="top center",
        name=ctx.t("series_merchants"),
        # The merchant chosen in the sidebar is drawn larger.
        marker={
            "size": [20 if m == ctx.filters.merchant_id else 12 for m in merchants["merchant_id"]],
            "color": colours,
            "symbol": symbols,
            "line": {"width": 2},
        },
    )
)
layout(fig, ctx.t("chart_funnel"), ctx.t("axis_order_lines"), ctx.t("axis_defect_rate"), pct=True)
# Log axis ticked at 1-2-5 steps only, with separators (not a label on every minor tick).
ticks = log_ticks(merchants["order_lines"])
fig.update_xaxes(type="log", tickvals=ticks, ticktext=[fmt.count(v) for v in ticks])
plot(fig, "merchants_funnel")
st.caption(
    ctx.t(
        "platform_rate_caption",
        rate=fmt.pct(platform),
        defects=fmt.count(funnel["defect_lines"]),
        lines=fmt.count(funnel["order_lines"]),
    )
    + " · "
    + ctx.t("outside_998", n=int(outside.sum()))
)
if not merchants["is_mature"].all():
    st.caption(ctx.t("funnel_immature"))
if not enough.all():
    st.caption(ctx.t("funnel_small", n=fmt.count(data.min_volume_order_lines())))

st.subheader(ctx.t("merchant_table"))
table(
    ctx,
    merchants,
    [
        "merchant_id",
        "merchant_name",
        "category",
        "order_lines",
        "defect_lines",
        "defect_rate",
        "defect_rate_ci_low",
        "defect_rate_ci_high",
        "grade",
        "grade_status",
        "shrunk_defect_rate",
        "category_rank",
        "has_min_volume",
        "is_mature",
    ],
)

ids = merchants["merchant_id"].tolist()
default = ids.index(ctx.filters.merchant_id) if ctx.filters.merchant_id in ids else 0
drill_labels = {
    mid: f"{name} ({mid})"
    for mid, name in zip(merchants["merchant_id"], merchants["merchant_name"], strict=True)
}
# The drilled merchant lives in the URL (``drill``), so a shared link opens the same merchant.
if "merchants_drill" not in st.session_state and st.query_params.get("drill") in ids:
    st.session_state["merchants_drill"] = st.query_params["drill"]
if st.session_state.get("merchants_drill") not in (None, *ids):
    del st.session_state["merchants_drill"]  # not in this selection any more: the default
chosen = st.selectbox(
    ctx.t("select_merchant"),
    ids,
    index=default,
    format_func=drill_labels.__getitem__,
    key="merchants_drill",
)
st.query_params["drill"] = chosen
scope = dataclasses.replace(ctx.filters, merchant_id=chosen)
# Only the open tab's section runs (a tab click reruns the page): the first view queries and
# draws the SKU table, not six sections of which five are hidden.
tabs = st.tabs(
    [
        ctx.t(k)
        for k in (
            "drill_skus",
            "drill_issues",
            "drill_trend",
            "drill_sla",
            "drill_actions",
            "drill_complaints",
        )
    ],
    key="merchants_drill_tab",
    on_change="rerun",
)
if tabs[0].open:
    with tabs[0]:
        skus = data.sku_rates(ctx.source, scope)
        table_or_no_data(
            ctx,
            skus,
            [
                "sku_id",
                "sku_name",
                "order_lines",
                "complaint_lines",
                "defect_lines",
                "complaint_rate",
                "defect_rate",
                "shrunk_defect_rate",
                "category_rank",
                "rank_status",
                "is_mature",
            ],
        )
if tabs[1].open:
    with tabs[1]:
        issues = data.issue_pareto(ctx.source, scope)
        table_or_no_data(ctx, issues, ["issue_type", "n_complaints", "share", "cum_share"])
if tabs[2].open:
    with tabs[2]:
        trend = data.weekly_rates(ctx.source, scope)
        if trend.empty:
            no_data(ctx)
        else:
            fig = go.Figure()
            add_maturity_series(
                fig,
                trend,
                "order_week",
                "defect_rate",
                ctx.t("series_defect_rate"),
                ctx.t("series_immature"),
                PALETTE[1],
            )
            layout(
                fig,
                ctx.t("chart_merchant_trend"),
                ctx.t("axis_order_week"),
                ctx.t("axis_defect_rate"),
                pct=True,
            )
            plot(fig, "merchants_trend")
            st.caption(ctx.t("immature_note"))
if tabs[3].open:
    with tabs[3]:
        sla = data.sla_by_stage(ctx.source, scope)
        table_or_no_data(ctx, sla, data.SLA_STAGE_COLUMNS)
if tabs[4].open:
    with tabs[4]:
        actions = data.corrective_actions(ctx.source, scope)
        table_or_no_data(
            ctx,
            actions,
            [
                "action_id",
                *data.ACTION_DESCRIPTION_COLUMNS,
                "before_defect_rate",
                "after_defect_rate",
                "p_value",
                "evaluation",
            ],
        )
if tabs[5].open:
    with tabs[5]:
        rows, total = data.complaints(ctx.source, scope)
        if rows.empty:
            no_data(ctx)
        else:
            st.caption(ctx.t("rows_shown", shown=len(rows), total=total))
            table(ctx, rows)
