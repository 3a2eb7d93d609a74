"""Compliance: closed complaints below the buyer's legal entitlement, per rule and merchant."""

import plotly.graph_objects as go
import streamlit as st

from dashboards import data
from dashboards.context import page_context
from dashboards.i18n import localise_frame
from dashboards.widgets import PALETTE, layout, no_data, page_header, plot, table, table_or_no_data
from flows import formatting as fmt

ctx = page_context()
page_header(ctx, "page_compliance")
st.caption(ctx.t("compliance_caption"))

left, right = st.columns(2)
with left:
    rules = data.legal_rules_broken(ctx.source, ctx.filters)
    if rules["n_below"].sum() == 0:
        st.subheader(ctx.t("compliance_rules"))
        no_data(ctx)
    else:
        fig = go.Figure(
            go.Bar(
                x=rules["n_below"],
                y=[ctx.enum("legal_rule", r) for r in rules["rule"]],
                orientation="h",
                marker_color=PALETTE[1],
                name=ctx.t("axis_below"),
            )
        )
        fig.update_yaxes(autorange="reversed")  # the most broken rule on top
        layout(fig, ctx.t("compliance_rules"), ctx.t("axis_below"), ctx.t("axis_rule"))
        plot(fig, "compliance_rules")
with right:
    st.subheader(ctx.t("compliance_by_merchant"))
    table_or_no_data(
        ctx,
        data.legal_rates_by_merchant(ctx.source, ctx.filters),
        [
            "merchant_id",
            "merchant_name",
            "n_checked",
            "n_entitled",
            "n_below",
            "below_rate",
            "below_rate_ci_low",
            "below_rate_ci_high",
            "n_lower_accepted",
            "compensation_shortfall",
        ],
        key="compliance_merchants",
    )

st.subheader(ctx.t("compliance_list"))
rule = st.selectbox(
    ctx.t("compliance_rule_filter"),
    [None, *data.LEGAL_RULES],
    format_func=lambda r: ctx.t("compliance_all_rules") if r is None else ctx.enum("legal_rule", r),
    key="compliance_rule",
)
below, total = data.legal_below(ctx.source, ctx.filters, rule)
if below.empty:
    no_data(ctx)
else:
    st.caption(ctx.t("rows_shown", shown=len(below), total=total))
    table(ctx, below, list(data.LEGAL_BELOW_COLUMNS), key="compliance_below")
    # The download holds every matching row (not only the ones shown), with translated headers.
    every, _ = data.legal_below(ctx.source, ctx.filters, rule, limit=None)
    st.download_button(
        ctx.t("compliance_download"),
        fmt.csv_bytes(localise_frame(every, ctx.lang)),
        file_name="below_entitlement.csv",
        mime="text/csv",
        key="compliance_download",
        on_click="ignore",
    )
