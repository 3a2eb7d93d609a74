"""Scorecards: the weekly merchant scorecard for one week, grades, CSV and XLSX downloads."""

import io

import pandas as pd
import streamlit as st

from dashboards import data
from dashboards.context import page_context
from dashboards.i18n import localise_frame
from dashboards.widgets import fmt_int, no_data, page_header, table

COLUMNS = [
    "iso_week",
    "merchant_id",
    "merchant_name",
    "category",
    "grade",
    "grade_rule",
    "order_lines",
    "defect_lines",
    "defect_rate",
    "defect_rate_ci_low",
    "defect_rate_ci_high",
    "is_mature",
    "category_median_defect_rate",
    "defect_rate_percentile",
    "n_complaints_received",
    "n_confirmed_defects_received",
    "acknowledge_compliance_rate",
    "merchant_notified_compliance_rate",
    "merchant_evidence_compliance_rate",
    "resolution_compliance_rate",
    "n_recurrences",
    "refund_amount",
    "compensation_amount",
    "reopen_count",
    "defect_rate_wow_change",
    "top_issue_types",
    "top_skus",
]

ctx = page_context()
page_header(ctx, "page_scorecards")
if ctx.filters.channel is not None:
    st.caption(ctx.t("channel_not_applicable"))
weeks = data.scorecard_weeks(ctx.source, ctx.filters)
if not weeks:
    no_data(ctx)
    st.stop()
week = st.selectbox(ctx.t("scorecard_week"), weeks, key="scorecard_week")
card = data.scorecard(ctx.source, ctx.filters, week)
st.subheader(ctx.t("scorecard_title", week=week))
if card.empty:
    no_data(ctx)
    st.stop()
grades = card["grade"].value_counts()
columns = st.columns(4)
for column, grade in zip(columns, "ABCD", strict=True):
    column.metric(ctx.t("grade_count", grade=grade), fmt_int(int(grades.get(grade, 0))))
shown = [c for c in COLUMNS if c in card.columns]
table(ctx, card, shown)

export = localise_frame(card[shown], ctx.lang)
for column in export.select_dtypes(include=["datetimetz"]).columns:
    export[column] = export[column].dt.tz_localize(None)
buffer = io.BytesIO()
with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
    export.to_excel(writer, sheet_name=week, index=False)
left, right = st.columns(2)
left.download_button(
    ctx.t("download_csv"),
    export.to_csv(index=False).encode("utf-8-sig"),
    file_name=f"scorecard_{week}.csv",
    mime="text/csv",
    key="scorecard_csv",
)
right.download_button(
    ctx.t("download_xlsx"),
    buffer.getvalue(),
    file_name=f"scorecard_{week}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="scorecard_xlsx",
)
