"""Scorecards: the weekly merchant scorecard for one week, grades, CSV and XLSX downloads."""

from pathlib import Path

import streamlit as st

from dashboards import data, scorecard_downloads
from dashboards.context import page_context
from dashboards.widgets import no_data, page_header, table
from flows import formatting as fmt

ctx = page_context()
page_header(ctx, "page_scorecards")
if ctx.filters.channel is not None:
    st.caption(ctx.t("channel_not_applicable"))
if not ctx.has_orders:
    st.info(ctx.t("no_orders"))
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
card = scorecard_downloads.with_grade_explanation(card, ctx.lang)
if not ctx.has_orders:
    card = scorecard_downloads.without_order_figures(card)
grades = card["grade"].value_counts()
columns = st.columns(4)
for column, grade in zip(columns, "ABCD", strict=True):
    count = int(grades.get(grade, 0)) if ctx.has_orders else None
    column.metric(ctx.t("grade_count", grade=grade), fmt.count(count))
shown = [c for c in scorecard_downloads.COLUMNS if c in card.columns]
table(ctx, card, shown)

# The files are built when a download starts, not on every render of the page. A click does not
# rerun the page: a rerun starting while the file is built clears the server's outgoing queue,
# and the reply carrying the file's address is lost with it (no download, no error).
# The XLSX file is the workbook mailed to a category's team (one layout, one writer).
categories = sorted(card["category"].dropna().unique())
left, middle, right = st.columns(3)
workbook_category = ctx.filters.category or middle.selectbox(
    ctx.t("scorecard_workbook_category"), categories, key="scorecard_workbook_category"
)
workbook = scorecard_downloads.mailed_workbook(
    Path(ctx.source.path), week, workbook_category, ctx.lang
)
csv_file, xlsx_file = scorecard_downloads.deferred(card, shown, ctx.lang, workbook)
left.download_button(
    ctx.t("download_csv"),
    csv_file,
    file_name=f"scorecard_{week}.csv",
    mime="text/csv",
    key="scorecard_csv",
    on_click="ignore",
)
right.download_button(
    ctx.t("download_xlsx"),
    xlsx_file,
    file_name=f"scorecard_{workbook_category}_{week}.xlsx".replace("/", "_"),
    mime=scorecard_downloads.XLSX_MIME,
    key="scorecard_xlsx",
    on_click="ignore",
)
