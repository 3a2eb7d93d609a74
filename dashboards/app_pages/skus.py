"""SKUs: the chosen SKU's p-chart with alerts, its issue mix and its complaints."""

import plotly.graph_objects as go
import streamlit as st

from dashboards import data, terms
from dashboards.context import page_context
from dashboards.widgets import (
    IMMATURE_COLOUR,
    PALETTE,
    layout,
    no_data,
    page_header,
    plot,
    table,
)
from flows import formatting as fmt

ctx = page_context()
page_header(ctx, "page_skus")
skus = data.sku_rates(ctx.source, ctx.filters)
if skus.empty:
    no_data(ctx, needs_orders=True)
    st.stop()
labels = {
    row.sku_id: f"{row.sku_name} ({row.sku_id}) · {row.merchant_name} · "
    + fmt.rate_with_n(row.defect_rate, row.order_lines, data.min_rate_base())
    for row in skus.itertuples()
}
if "skus_sku" not in st.session_state and st.query_params.get("sku") in labels:
    st.session_state["skus_sku"] = st.query_params["sku"]  # a shared link or an alert's link
sku_id = st.selectbox(
    ctx.t("select_sku"), list(labels), format_func=labels.__getitem__, key="skus_sku"
)
st.query_params["sku"] = sku_id

chart = data.sku_chart(ctx.source, ctx.filters, sku_id)
if chart.empty:
    no_data(ctx)
else:
    mature = chart["is_mature"].astype(bool)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=chart["order_week"],
            y=chart["ucl"],
            name=ctx.t("series_ucl"),
            mode="lines",
            line={"color": PALETTE[1], "dash": "dash", "shape": "hv"},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=chart["order_week"],
            y=chart["center_line"],
            name=ctx.t("series_center"),
            mode="lines",
            line={"color": "#555"},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=chart["order_week"],
            y=chart["lcl"],
            name=ctx.t("series_lcl"),
            mode="lines",
            line={"color": PALETTE[2], "dash": "dash", "shape": "hv"},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=chart["order_week"],
            y=chart["defect_rate"],
            name=ctx.t("series_defect_rate"),
            mode="lines+markers",
            line={"color": PALETTE[0]},
            marker={"color": [PALETTE[0] if m else IMMATURE_COLOUR for m in mature], "size": 8},
        )
    )
    immature = chart[~mature]
    if not immature.empty:
        fig.add_trace(
            go.Scatter(
                x=immature["order_week"],
                y=immature["defect_rate"],
                name=ctx.t("series_immature"),
                mode="markers",
                marker={"color": IMMATURE_COLOUR, "size": 12, "symbol": "circle-open"},
            )
        )
    alerts = chart[chart["is_alert"] | chart["is_out_of_control"]]
    if not alerts.empty:
        fig.add_trace(
            go.Scatter(
                x=alerts["order_week"],
                y=alerts["defect_rate"],
                name=ctx.t("series_alert"),
                mode="markers",
                marker={"color": PALETTE[1], "size": 16, "symbol": "x"},
            )
        )
    layout(
        fig, ctx.t("chart_pchart"), ctx.t("axis_order_week"), ctx.t("axis_defect_rate"), pct=True
    )
    plot(fig, "skus_pchart")
    st.caption(
        ctx.t(
            "chart_type_caption",
            chart_type=ctx.enum("chart_type", chart["chart_type"].iloc[0]),
            n_baseline=int(chart["is_baseline"].sum()),
        )
        + " · "
        + ctx.t("immature_note")
    )

term = terms.render(ctx, "skus", sku_id)

left, right = st.columns([1, 2])
with left:
    issues = data.issue_pareto(ctx.source, ctx.filters, sku_id)
    if issues.empty:
        no_data(ctx)
    else:
        # Bars across, largest on top: issue names stay level and never crowd each other.
        fig = go.Figure(
            go.Bar(
                y=[ctx.enum("issue_type", c) for c in issues["issue_type"]],
                x=issues["n_complaints"],
                orientation="h",
                marker_color=PALETTE[0],
                name=ctx.t("axis_complaints"),
            )
        )
        layout(fig, ctx.t("chart_issue_mix"), ctx.t("axis_complaints"), ctx.t("axis_issue_type"))
        fig.update_yaxes(autorange="reversed", automargin=True)
        plot(fig, "skus_issues")
with right:
    st.subheader(ctx.t("complaints_list"))
    rows, total = data.complaints(ctx.source, ctx.filters, sku_id, term=term)
    if rows.empty:
        no_data(ctx)
    else:
        st.caption(ctx.t("rows_shown", shown=len(rows), total=total))
        table(
            ctx,
            rows,
            [
                "complaint_id",
                "received_at",
                "channel",
                "issue_type",
                "responsibility",
                "status",
                "description",
                "buyer_phone_masked",
                "refund_amount",
            ],
        )
