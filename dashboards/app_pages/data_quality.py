"""Data quality: freshness, file ledger, quarantine, expectations, warnings, orphans, build."""

import streamlit as st

from dashboards import data
from dashboards.context import page_context
from dashboards.i18n import localise_dq_frame
from dashboards.widgets import page_header, table_or_no_data

ctx = page_context()
page_header(ctx, "page_data_quality")
st.caption(ctx.t("filters_not_applicable"))
for name in data.DQ_TABLES:
    st.subheader(ctx.t(name))
    frame = data.dq_table(ctx.source, name)
    if name == "dq_expectations" and not frame.empty:
        st.caption(ctx.t("dq_failed_expectations", n=int((~frame["success"].astype(bool)).sum())))
    table_or_no_data(ctx, localise_dq_frame(frame, ctx.lang), key=f"dq_{name}")
