"""SLA: compliance by stage × channel × week, who is late on what, backlog ageing."""

import plotly.graph_objects as go
import streamlit as st

from dashboards import data
from dashboards.context import page_context
from dashboards.widgets import (
    PALETTE,
    add_maturity_series,
    layout,
    no_data,
    page_header,
    plot,
    rate_tiles,
    shade_immature,
    table,
    table_or_no_data,
)
from flows import formatting as fmt
from flows.config import SLA_STAGES

ctx = page_context()
page_header(ctx, "page_sla")

st.subheader(ctx.t("sla_by_stage"))
by_stage = data.sla_by_stage(ctx.source, ctx.filters)
table_or_no_data(ctx, by_stage, data.SLA_STAGE_COLUMNS)

targets = data.sla_targets(ctx.source)
if not targets.empty:
    st.subheader(ctx.t("sla_targets"))
    targets["target"] = [
        "" if fmt.is_missing(value) else f"{value:g} {ctx.enum('sla_target_unit', unit)}"
        for value, unit in zip(targets["target_value"], targets["target_unit"], strict=True)
    ]
    grid = targets.pivot(index="stage", columns="channel", values="target").reindex(
        [s for s in SLA_STAGES if s in set(targets["stage"])]
    )
    grid.index = [ctx.enum("stage", stage) for stage in grid.index]
    grid.columns = [ctx.enum("channel", channel) for channel in grid.columns]
    st.dataframe(grid, width="stretch")
    working = targets.dropna(subset=["working_calendar"])
    if not working.empty:
        first = working.iloc[0]
        st.caption(
            ctx.t(
                "sla_targets_caption",
                calendar=ctx.t(f"working_calendar_{first['working_calendar']}"),
                hours=first["working_hours"],
            )
        )


weekly = data.sla_weekly(ctx.source, ctx.filters)
if not weekly.empty:
    left, right = st.columns(2)
    with left:
        per_week = data.sla_weekly(ctx.source, ctx.filters, "week_stage")
        # The mart marks a row provisional (marts.sla_compliance_merchant_weekly.is_provisional).
        per_week["is_mature"] = ~per_week["is_provisional"]
        fig = go.Figure()
        shade_immature(fig, per_week.loc[~per_week["is_mature"], "received_week"])
        for colour, stage in zip(PALETTE, SLA_STAGES, strict=False):
            add_maturity_series(
                fig,
                per_week[per_week["stage"] == stage],
                "received_week",
                "compliance_rate",
                ctx.enum("stage", stage),
                ctx.t("series_provisional"),
                colour,
                immature_in_legend=False,  # four more entries would squeeze the chart
            )
        layout(
            fig,
            ctx.t("chart_sla_weekly"),
            ctx.t("axis_received_week"),
            ctx.t("axis_compliance"),
            pct=True,
        )
        plot(fig, "sla_weekly")
        if not per_week["is_mature"].all():
            st.caption(ctx.t("sla_provisional_note"))
    with right:
        grid = data.sla_weekly(ctx.source, ctx.filters, "stage_channel")
        # A tile on fewer measured complaints than the minimum is a grey "—", like a table cell.
        grid, _ = fmt.blank_small_rates(grid, data.min_rate_base())
        pivot = grid.pivot(index="stage", columns="channel", values="compliance_rate").reindex(
            [s for s in SLA_STAGES if s in set(grid["stage"])]
        )
        fig = rate_tiles(
            pivot,
            row_label=lambda stage: ctx.enum("stage", stage),
            column_label=lambda channel: ctx.enum("channel", channel),
        )
        layout(fig, ctx.t("chart_sla_tiles"), ctx.t("axis_channel"), ctx.t("axis_stage"))
        plot(fig, "sla_tiles")

if not weekly.empty:
    # The full table runs only once the expander is opened (opening it reruns the page).
    details = st.expander(ctx.t("sla_table"), key="sla_table_open", on_change="rerun")
    if details.open:
        with details:
            table(
                ctx,
                weekly,
                [
                    "received_week",
                    "channel",
                    "stage",
                    *data.SLA_COUNT_COLUMNS,
                    "n_pending",
                    "compliance_rate",
                ],
                key="sla_table",
            )

st.subheader(ctx.t("sla_merchant_ranking"))
ranking_stage = st.selectbox(
    ctx.t("sla_ranking_stage"),
    list(SLA_STAGES),
    index=list(SLA_STAGES).index("merchant_evidence"),
    format_func=lambda stage: ctx.enum("stage", stage),
    key="sla_ranking_stage",
)
st.caption(ctx.t("sla_ranking_caption"))
ranking = data.sla_merchant_ranking(ctx.source, ranking_stage, ctx.filters.category)
table_or_no_data(
    ctx,
    ranking,
    [
        "stage_rank",
        "merchant_id",
        "merchant_name",
        "category",
        "n_measured",
        "n_met",
        "compliance_rate",
        "compliance_rate_ci_low",
        "compliance_rate_ci_high",
        "has_min_volume",
    ],
    key="sla_ranking_table",
)

st.subheader(ctx.t("sla_late_list"))
st.caption(ctx.t("sla_late_caption"))
PAGE_ROWS = 500
_, total = data.sla_late(ctx.source, ctx.filters, limit=0)
if total == 0:
    no_data(ctx)
else:
    # Every late stage, page by page (not cut at the first page), and all of them as a CSV.
    pages = -(-total // PAGE_ROWS)
    page = (
        st.number_input(ctx.t("page_number", pages=pages), 1, pages, 1, key="sla_late_page")
        if pages > 1
        else 1
    )
    late, _ = data.sla_late(ctx.source, ctx.filters, limit=PAGE_ROWS, offset=(page - 1) * PAGE_ROWS)
    first = (page - 1) * PAGE_ROWS + 1
    st.caption(ctx.t("rows_page", first=first, last=first + len(late) - 1, total=total))
    table(
        ctx,
        late,
        [
            "complaint_id",
            "merchant_name",
            "sku_name",
            "channel",
            "stage",
            "sla_status",
            "deadline_at",
            "elapsed_hours",
            "overdue_hours",
        ],
    )
    st.download_button(
        ctx.t("download_late_csv", total=total),
        data=lambda: fmt.csv_bytes(data.sla_late(ctx.source, ctx.filters, limit=None)[0]),
        file_name="sla_late_stages.csv",
        mime="text/csv",
        on_click="ignore",
        key="sla_late_download",
    )

st.subheader(ctx.t("sla_satisfaction"))
st.caption(ctx.t("sla_satisfaction_caption"))
effect = data.satisfaction_sla_effect(ctx.source)
effect["channel"] = [
    ctx.t("all") if c == "all" else ctx.enum("channel", c) for c in effect["channel"]
]
table_or_no_data(ctx, effect, key="sla_satisfaction")

st.subheader(ctx.t("sla_investigations"))
left, right = st.columns(2)
with left:
    st.markdown(f"**{ctx.t('sla_lab_tests')}**")
    st.caption(ctx.t("sla_lab_caption"))
    labs = data.lab_tests(ctx.source)
    labs["category_l1"] = [ctx.t("all") if c == "all" else c for c in labs["category_l1"]]
    table_or_no_data(ctx, labs, data.LAB_TEST_COLUMNS, key="sla_lab_tests")
with right:
    st.markdown(f"**{ctx.t('sla_info_requests')}**")
    st.caption(ctx.t("sla_info_caption"))
    asks = data.info_requests(ctx.source)
    asks["channel"] = [
        ctx.t("all") if c == "all" else ctx.enum("channel", c) for c in asks["channel"]
    ]
    table_or_no_data(ctx, asks, data.INFO_REQUEST_COLUMNS, key="sla_info_requests")

st.subheader(ctx.t("chart_backlog"))
st.caption(ctx.t("backlog_caption"))
backlog = data.backlog_ageing(ctx.source, ctx.filters)
if backlog.empty:
    no_data(ctx)
else:
    counts = dict(zip(backlog["age_bucket"], backlog["n_complaints"], strict=True))
    fig = go.Figure(
        go.Bar(
            x=[ctx.enum("backlog_age_bucket", b) for b in data.AGE_BUCKETS],
            y=[counts.get(b, 0) for b in data.AGE_BUCKETS],
            marker_color=PALETTE[3],
            name=ctx.t("axis_complaints"),
        )
    )
    layout(fig, ctx.t("chart_backlog"), ctx.t("axis_age"), ctx.t("axis_complaints"))
    plot(fig, "sla_backlog")
