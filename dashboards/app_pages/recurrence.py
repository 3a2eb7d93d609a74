"""Recurrence and corrective actions: recurrence and reopen rates, action effectiveness."""

import plotly.graph_objects as go
import streamlit as st

from dashboards import data
from dashboards.context import page_context
from dashboards.widgets import PALETTE, layout, no_data, page_header, plot, table, table_or_no_data

ctx = page_context()
page_header(ctx, "page_recurrence")

group = st.radio(
    ctx.t("recurrence_by"),
    list(data.RECURRENCE_GROUPS),
    horizontal=True,
    format_func=lambda g: ctx.t(f"group_{g}"),
    key="recurrence_group",
)
st.caption(ctx.t("recurrence_caption"))
rates = data.recurrence_rates(ctx.source, ctx.filters, group)
if not ctx.has_orders:
    # Recurrence is buyer-based: without order lines no complaint has a buyer.
    st.info(ctx.t("no_orders_recurrence"))
elif rates.empty:
    no_data(ctx)
else:
    if group == "issue_type":
        rates = rates.assign(group_name=[ctx.enum("issue_type", c) for c in rates["group_id"]])
    table(
        ctx,
        rates,
        [
            "group_id",
            "group_name",
            "n_closed_in_rate",
            "n_recurred",
            "recurrence_rate",
            "recurrence_rate_ci_low",
            "recurrence_rate_ci_high",
        ],
    )

st.subheader(ctx.t("reopen_rates"))
if ctx.filters.channel is not None:
    st.caption(ctx.t("channel_not_applicable"))
reopens = data.reopen_rates(ctx.source, ctx.filters)
table_or_no_data(
    ctx,
    reopens,
    [
        "merchant_id",
        "merchant_name",
        "category",
        "n_counted",
        "n_reopened",
        "reopen_rate",
        "n_repeat_buyer_complaints",
        "repeat_buyer_rate",
    ],
)

st.subheader(ctx.t("corrective_actions"))
st.caption(ctx.t("actions_caption"))
actions = data.corrective_actions(ctx.source, ctx.filters)
if actions.empty:
    no_data(ctx)
else:
    labels = [
        f"{a.action_id} · {ctx.enum('evaluation', a.evaluation)}" for a in actions.itertuples()
    ]
    # One row per action, bars across: at a year's range (dozens of actions) the labels stay
    # level and apart, the chart growing with the actions instead of crowding its axis.
    fig = go.Figure()
    for column, name, colour in (
        ("before_defect_rate", "series_before", PALETTE[0]),
        ("after_defect_rate", "series_after", PALETTE[2]),
    ):
        fig.add_trace(
            go.Bar(
                y=labels,
                x=actions[column],
                orientation="h",
                name=ctx.t(name),
                marker_color=colour,
            )
        )
    layout(fig, ctx.t("chart_actions"), ctx.t("axis_defect_rate"), ctx.t("axis_action"))
    fig.update_xaxes(tickformat=".1%", rangemode="tozero")
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_layout(height=max(420, 160 + 36 * len(labels)))
    plot(fig, "actions_before_after")
    table(
        ctx,
        actions,
        [
            "action_id",
            "merchant_name",
            *data.ACTION_DESCRIPTION_COLUMNS,
            "before_order_lines",
            "before_defect_rate",
            "after_order_lines",
            "after_defect_rate",
            "relative_change",
            "relative_change_ci_low",
            "relative_change_ci_high",
            "p_value",
            "power",
            "evaluation",
        ],
    )
