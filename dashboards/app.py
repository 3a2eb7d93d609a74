"""complaint-insight dashboard: navigation and the chrome every page shares.

Run with ``complaints dashboard`` (or ``streamlit run dashboards/app.py
--server.enableStaticServing true``: without static serving the charts use Streamlit's heavier
plotly element, see ``charts``). The warehouse path comes
from the project settings (env ``COMPLAINTS_WAREHOUSE``). Pages in ``app_pages/`` hold UI only and
read everything through ``dashboards.data``.
"""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from dashboards import charts, data, sidebar
from dashboards.context import PageContext, publish
from dashboards.i18n import t
from flows.config import load_settings
from flows.warehouse import WarehouseBusy

# url path, title key, icon, whether the page draws charts (it then preloads the chart code).
PAGES = (
    ("overview", "page_overview", ":material/dashboard:", True),
    ("merchants", "page_merchants", ":material/storefront:", True),
    ("skus", "page_skus", ":material/inventory_2:", True),
    ("sla", "page_sla", ":material/timer:", True),
    ("compliance", "page_compliance", ":material/gavel:", True),
    ("recurrence", "page_recurrence", ":material/autorenew:", True),
    ("scorecards", "page_scorecards", ":material/grading:", False),
    ("data_quality", "page_data_quality", ":material/fact_check:", False),
    ("sql", "page_sql", ":material/terminal:", False),
)
HERE = Path(__file__).parent


def main() -> None:
    st.set_page_config(
        page_title="complaint-insight", page_icon=":material/insights:", layout="wide"
    )
    warehouse = load_settings().warehouse
    source = data.current_source(warehouse)
    if source is None:
        render(warehouse, None)
        return
    try:
        # One read-only connection for the whole render, opened on the first cache miss and
        # closed when the render ends (never held across renders: a new build must be seen).
        with data.render_reads(source):
            render(warehouse, source)
    except data.StaleSource:
        st.rerun()  # published between the file check and the open: render the new build
    except WarehouseBusy:
        # Locked past the open's own retries: say so and try again (nothing was cached).
        st.warning(t("warehouse_busy", sidebar.language_from_url()))
        time.sleep(2)
        st.rerun()


def render(warehouse: Path, source: data.Source | None) -> None:
    build = data.build_info(source) if source is not None else None
    if source is None or build is None:
        lang = sidebar.language_from_url()
        st.title(t("no_warehouse_title", lang))
        st.info(t("no_warehouse_body", lang, path=warehouse))
        return
    options = data.filter_options(source)
    filters, lang = sidebar.render(options)
    ctx = PageContext(source=source, filters=filters, lang=lang, build=build, options=options)
    publish(ctx)
    pages = [
        st.Page(
            str(HERE / "app_pages" / f"{name}.py"),
            title=t(title, lang),
            icon=icon,
            url_path=name,
            default=index == 0,
        )
        for index, (name, title, icon, _) in enumerate(PAGES)
    ]
    page = st.navigation(pages)
    if PAGES[pages.index(page)][3]:
        charts.preload()
    try:
        page.run()
    finally:
        # Drawn after the page, so it also marks the end of the run (the browser tests wait for it).
        st.sidebar.caption(ctx.as_of_text)


main()
