"""The "what buyers write" section of the overview and SKU pages.

Top terms of the period's last week against their baseline, emerging terms with a few example
descriptions (phones are masked in the warehouse), trend lines of the top terms, and word
buttons: the word clicked filters the page's complaint list (and travels in the URL as
``term``, so an alert's link opens the same view). Every number comes from the text marts
through ``dashboards.data``.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from dashboards import data
from dashboards.context import PageContext
from dashboards.sidebar import iso_week
from dashboards.widgets import PALETTE, layout, plot, table

TERM_KEY = "term"
TREND_TERMS = 5


def selected_term() -> str | None:
    """The word the list is filtered by: the session's choice, else the URL's ``term``."""
    if TERM_KEY not in st.session_state:
        st.session_state[TERM_KEY] = st.query_params.get(TERM_KEY) or None
    return st.session_state[TERM_KEY]


def render(ctx: PageContext, key: str, sku_id: str | None = None) -> str | None:
    """Draw the section; return the word the complaint list should be filtered by."""
    st.subheader(ctx.t("terms_title"))
    if not data.has_text_marts(ctx.source):
        st.info(ctx.t("terms_not_built"))
        return None
    top = data.top_terms(ctx.source, ctx.filters, sku_id)
    term = selected_term()
    options = list(top["term"])
    if term is not None and term not in options:
        options.append(term)
    if options:
        picked = st.pills(
            ctx.t("terms_pick"), options, selection_mode="single", default=term, key=f"{key}_pills"
        )
        if picked != term:
            st.session_state[TERM_KEY] = picked
            term = picked
    if term:
        st.query_params[TERM_KEY] = term
    elif TERM_KEY in st.query_params:
        del st.query_params[TERM_KEY]

    left, right = st.columns(2)
    with left:
        if not top.empty:
            week = iso_week(ctx.filters.week_to) if ctx.filters.week_to else ""
            fig = go.Figure(
                [
                    go.Bar(
                        y=top["term"],
                        x=top["n_complaints"],
                        orientation="h",
                        name=ctx.t("terms_series_week"),
                        marker_color=PALETTE[0],
                    ),
                    go.Bar(
                        y=top["term"],
                        x=top["baseline_mean"],
                        orientation="h",
                        name=ctx.t("terms_series_baseline"),
                        marker_color=PALETTE[1],
                    ),
                ]
            )
            layout(fig, ctx.t("terms_top", week=week), ctx.t("axis_mentions"), ctx.t("axis_term"))
            fig.update_layout(barmode="group", yaxis={"autorange": "reversed"})
            plot(fig, f"{key}_top_terms")
    with right:
        trend_terms = tuple(top["term"].head(TREND_TERMS))
        trend = data.term_trend(ctx.source, ctx.filters, trend_terms, sku_id)
        if not trend.empty:
            fig = go.Figure()
            for i, (name, rows) in enumerate(trend.groupby("term", sort=False)):
                fig.add_trace(
                    go.Scatter(
                        x=rows["received_week"],
                        y=rows["n_complaints"],
                        name=str(name),
                        mode="lines+markers",
                        line={"color": PALETTE[i % len(PALETTE)]},
                    )
                )
            layout(fig, ctx.t("terms_trend"), ctx.t("axis_received_week"), ctx.t("axis_mentions"))
            plot(fig, f"{key}_term_trend")

    st.markdown(f"**{ctx.t('terms_emerging')}**")
    emerging = data.emerging_terms(ctx.source, ctx.filters, sku_id)
    if emerging.empty:
        st.caption(ctx.t("terms_no_emerging"))
    else:
        emerging = emerging.copy()
        emerging["scope_name"] = [
            f"{row.sku_name or ''} ({row.scope_id})" if row.scope == "sku" else row.scope_id
            for row in emerging.itertuples()
        ]
        emerging["examples"] = [
            " ｜ ".join(data.term_examples(ctx.source, tuple(str(ids).split(", "))))
            for ids in emerging["complaint_ids"]
        ]
        columns = ["iso_week", "scope_name", "term", "n_complaints", "expected_complaints",
                   "p_value", "examples"]  # fmt: skip
        table(ctx, emerging, columns, key=f"{key}_emerging")
    if term:
        st.caption(ctx.t("terms_filtered", term=term))
    return term
