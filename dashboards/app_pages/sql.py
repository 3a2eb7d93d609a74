"""SQL console: schema browser with column docs, a query box over the analysts' copy of the
warehouse (``flows.console``), CSV download."""

import streamlit as st

from dashboards.context import page_context
from dashboards.i18n import sql_error_label
from dashboards.widgets import page_header, table
from flows import console
from flows import formatting as fmt
from flows.build.serving import serving_path
from flows.config import load_settings

settings = load_settings()
ctx = page_context()
page_header(ctx, "page_sql")
st.caption(ctx.t("filters_not_applicable"))


@st.cache_data(ttl=settings.dashboard_cache_ttl_seconds, max_entries=8, show_spinner=False)
def cached_schema(path: str, version: str):
    return console.schema(serving_path(path))


left, right = st.columns([1, 2])
with left:
    st.subheader(ctx.t("sql_schema"))
    columns = cached_schema(ctx.source.path, ctx.source.version)
    for name, group in columns.groupby("table_name", sort=True):
        with st.expander(f"marts.{name}"):
            table_doc = group.loc[group["column_name"] == "", "doc"]
            if not table_doc.empty and table_doc.iloc[0]:
                st.caption(table_doc.iloc[0])
            group = group[group["column_name"] != ""]
            shown = group[["column_name", "data_type", "doc"]].copy()
            shown["doc"] = shown["doc"].replace("", ctx.t("sql_no_docs"))
            table(ctx, shown, key=f"sql_schema_{name}")
with right:
    st.subheader(ctx.t("sql_query"))
    st.caption(
        ctx.t(
            "sql_limits",
            timeout=f"{settings.sql_console_timeout_seconds:g}",
            max_rows=f"{settings.sql_console_max_rows:,}",
        )
    )
    sql = st.text_area(
        ctx.t("sql_query"),
        value=ctx.t("sql_placeholder"),
        height=160,
        key="sql_text",
        label_visibility="collapsed",
    )
    if st.button(ctx.t("sql_run"), type="primary", key="sql_run"):
        st.session_state["sql_result"] = console.run_query(
            serving_path(ctx.source.path), sql, console.limits_from(settings)
        )
    result = st.session_state.get("sql_result")
    if result is not None:
        if result.error:
            st.error(ctx.t("sql_error", message=sql_error_label(result.error, ctx.lang)))
        else:
            st.success(
                ctx.t("sql_result", n=f"{len(result.frame):,}", seconds=f"{result.seconds:.2f}")
            )
            if result.truncated:
                st.warning(ctx.t("sql_truncated", n=f"{len(result.frame):,}"))
            st.dataframe(result.frame, hide_index=True)
            st.download_button(
                ctx.t("sql_download"),
                fmt.csv_bytes(result.frame),
                file_name="query.csv",
                mime="text/csv",
                key="sql_download",
            )
