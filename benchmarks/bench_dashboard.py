"""Dashboard benchmark: per page, the time of its queries against a full scan of the order lines,
and the first render time in a real browser.

    uv run python benchmarks/bench_dashboard.py [WAREHOUSE] [--runs 3] [--no-browser]
        [--pages overview,merchants]

WAREHOUSE defaults to ``$COMPLAINTS_BENCH_WAREHOUSE``, else ``data/bench/warehouse.duckdb``; when
neither exists the benchmark builds one there with the project's commands (``--orders``, default
10M order lines: ``complaints generate`` then ``complaints run``; tens of minutes).

Targets: a page's queries (data-module functions, uncached, default filters, on one per-render
read-only connection including its open and close, as a first render with a cold cache runs
them) take at most 1/10 of
the reference computation ``SCAN_SQL``: what a dashboard would otherwise compute from the raw
rows for its headline, the order lines and confirmed-defect lines per merchant and week (every
order line scanned, joined to the counted complaints); the first render of each page in Chromium
(until its title is shown, the script run is done and every chart and table has drawn, lazily
loaded frontend code included; the server's one-off imports excluded by a warm-up load with
other filters) is under 2 s, measured three ways: the page opened by its address in a new tab
of a fresh browser context (empty cache: the app starts in the tab first), the page chosen in
the app's navigation from a page without charts (``navigation_runs``), and the page opened by
its address in a browser that has used the app before (``returning_runs``). ``--pages``
measures some pages only (the results file is then written only with ``--out``). Medians of
``--runs`` runs go to ``benchmarks/results/dashboard.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import logging
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboards import data  # noqa: E402
from dashboards.sidebar import DEFAULT_WEEKS, iso_week  # noqa: E402
from flows.warehouse import SAFE_CONFIG  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "dashboard.json"
# The headline a dashboard would need without the marts: per merchant and order week, the order
# lines and the lines with a confirmed defect (data contract, "Metric definitions"), from raw rows.
SCAN_SQL = """
select o.merchant_id, date_trunc('week', o.ordered_at) as week, count(*) as order_lines,
    count(d.order_id) as defect_lines
from raw.orders as o
left join (
    select distinct order_id, sku_id from raw.complaints
    where status is distinct from 'withdrawn'
        and issue_type in ('quality_defect', 'cosmetic_flaw', 'counterfeit')
        and responsibility = 'merchant'
) as d on d.order_id = o.order_id and d.sku_id = o.sku_id
group by all
"""
# A bare count of the order lines, recorded for comparison with earlier results only.
COUNT_SQL = "select count(*), sum(quantity) from raw.orders"
# Page titles; how many charts a page draws depends on the data, so the benchmark waits for the
# script run to end and for every chart present to draw.
PAGE_TITLES = {
    "overview": "总览",
    "merchants": "商家",
    "skus": "商品 SKU",
    "sla": "时效 SLA",
    "recurrence": "复发与整改",
    "scorecards": "商家周评分卡",
    "data_quality": "数据质量",
    "sql": "SQL 控制台",
}


def default_filters(source: data.Source) -> data.Filters:
    """The filters a fresh session starts with (the last DEFAULT_WEEKS weeks)."""
    weeks = data.filter_options.uncached(source)["weeks"]
    return data.Filters(weeks[max(0, len(weeks) - DEFAULT_WEEKS)], weeks[-1])


def page_calls(source: data.Source, filters: data.Filters) -> dict[str, Callable[[], object]]:
    """Per page, the data-module calls it makes on first render (mirrors app_pages/)."""
    d = data

    def chrome() -> None:
        d.build_info.uncached(source)
        d.filter_options.uncached(source)

    def overview() -> None:
        chrome()
        d.overview_kpis.uncached(source, filters)
        d.weekly_complaints.uncached(source, filters)
        d.weekly_rates.uncached(source, filters)
        d.issue_pareto.uncached(source, filters)
        d.channel_mix.uncached(source, filters)
        d.defect_alerts.uncached(source, filters)

    def merchants() -> None:
        chrome()
        rates = d.merchant_rates.uncached(source, filters)
        scope = dataclasses.replace(filters, merchant_id=rates["merchant_id"].iloc[0])
        d.sku_rates.uncached(source, scope)  # the drill-down's open tab; the others run on click

    def skus() -> None:
        chrome()
        sku_id = d.sku_rates.uncached(source, filters)["sku_id"].iloc[0]
        d.sku_chart.uncached(source, filters, sku_id)
        d.issue_pareto.uncached(source, filters, sku_id)
        d.complaints.uncached(source, filters, sku_id)

    def sla() -> None:
        chrome()
        d.sla_by_stage.uncached(source, filters)
        d.sla_weekly.uncached(source, filters)
        d.sla_late.uncached(source, filters)
        d.backlog_ageing.uncached(source, filters)

    def recurrence() -> None:
        chrome()
        d.recurrence_rates.uncached(source, filters, "merchant")
        d.reopen_rates.uncached(source, filters)
        d.corrective_actions.uncached(source, filters)

    def scorecards() -> None:
        chrome()
        weeks = d.scorecard_weeks.uncached(source, filters)
        d.scorecard.uncached(source, filters, weeks[0])

    def data_quality() -> None:
        chrome()
        for name in d.DQ_TABLES:
            d.dq_table.uncached(source, name)

    def sql() -> None:
        from flows import console
        from flows.build.serving import serving_path

        chrome()
        console.schema(serving_path(source.path))

    return {
        "overview": overview,
        "merchants": merchants,
        "skus": skus,
        "sla": sla,
        "recurrence": recurrence,
        "scorecards": scorecards,
        "data_quality": data_quality,
        "sql": sql,
    }


def timed(func: Callable[[], object]) -> float:
    """Wall time of one call."""
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def one_render(source: data.Source, call: Callable[[], object]) -> Callable[[], None]:
    """A page's calls as the app runs them: one lazily opened connection per render."""

    def render() -> None:
        with data.render_reads(source):
            call()

    return render


def scan_seconds(path: str, sql: str = SCAN_SQL) -> float:
    def scan() -> None:
        with duckdb.connect(path, read_only=True) as con:
            con.execute(sql).fetchall()

    return timed(scan)


@contextlib.contextmanager
def shared_connection(path: str):
    """Diagnostic only: route the data module through one held connection (a cursor per call)
    to separate the per-connection cost from the query work. The app never runs this way."""
    anchor = duckdb.connect(path, read_only=True, config=dict(SAFE_CONFIG))
    original = data._frames

    def frames(source: data.Source, *queries: tuple[str, object]) -> list:
        cursor = anchor.cursor()
        try:
            return [cursor.execute(sql, list(params)).df() for sql, params in queries]
        finally:
            cursor.close()

    data._frames = frames
    try:
        yield anchor
    finally:
        data._frames = original
        anchor.close()


@contextlib.contextmanager
def warmed_up_browser(path: Path, warm_query: str) -> Iterator[tuple[str, Any]]:
    """A fresh dashboard server and Chromium, after one load of the overview with other filters:
    the server's one-off Python imports are done, the measured filters' queries are not cached."""
    from playwright.sync_api import sync_playwright

    from tests.dashboards.live_app import launch_chromium, running_dashboard, wait_for_page

    with running_dashboard(path) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            warm = browser.new_page()
            warm.goto(f"{base}/?{warm_query}")
            wait_for_page(warm, PAGE_TITLES["overview"], timeout_ms=120_000)
            warm.close()
            yield base, browser
        finally:
            browser.close()


# What a page has drawn: plotly charts (drawn or not), drawn charts, data grids.
ELEMENT_COUNTS_JS = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const charts = [...main.querySelectorAll('[data-testid="stPlotlyChart"], .ci-chart')];
    return [charts.length, charts.filter((c) => c.querySelector('.main-svg')).length,
            main.querySelectorAll('[data-testid="stDataFrame"]').length];
}"""


def browser_runs(
    path: Path, query: str, warm_query: str, runs: int, pages: list[str], elements: dict
) -> dict[str, list[float]]:
    """First render per page: a fresh server and browser per run. One warm-up load with other
    filters first, so the server's one-off Python imports are not counted but the page's
    queries for the measured filters are not cached. ``elements`` receives, per page, the plotly
    charts and data grids it showed when done (what ``navigation_runs`` waits for)."""
    from tests.dashboards.live_app import wait_for_page

    times: dict[str, list[float]] = {page: [] for page in pages}
    for _ in range(runs):
        with warmed_up_browser(path, warm_query) as (base, browser):
            for name in pages:
                title = PAGE_TITLES[name]
                page = browser.new_page(viewport={"width": 1500, "height": 1100})
                started = time.perf_counter()
                page.goto(f"{base}/{'' if name == 'overview' else name}?{query}")
                wait_for_page(page, title, timeout_ms=120_000)
                times[name].append(time.perf_counter() - started)
                charts, _, grids = page.evaluate(ELEMENT_COUNTS_JS)
                elements[name] = {"charts": charts, "grids": grids}
                page.close()
    return times


def navigation_runs(
    path: Path, query: str, warm_query: str, runs: int, pages: list[str], elements: dict
) -> dict[str, list[float]]:
    """First render per page reached from the app's navigation: a fresh server and browser per
    run and the same warm-up as ``browser_runs``; each page is opened in a new tab on a page
    without charts (the SQL console, or the data-quality page for the console itself), with the
    measured filters, and then chosen in the sidebar. The time runs from the click until the page
    has drawn: its queries (not cached for these filters), its script run and, as every chart page
    reached from a page without charts, loading plotly's frontend code. The app's own start in
    the tab is not counted. The sidebar stays drawn across the navigation, so besides
    ``wait_for_page`` the page counts as done only when it shows as many drawn plotly charts and
    data grids as the same page opened by its address (``elements``)."""
    from tests.dashboards.live_app import wait_for_page

    times: dict[str, list[float]] = {page: [] for page in pages}
    for _ in range(runs):
        with warmed_up_browser(path, warm_query) as (base, browser):
            for name in pages:
                start_page = "data_quality" if name == "sql" else "sql"
                page = browser.new_page(viewport={"width": 1500, "height": 1100})
                page.goto(f"{base}/{start_page}?{query}")
                wait_for_page(page, PAGE_TITLES[start_page], timeout_ms=120_000)
                link = page.locator('[data-testid="stSidebarNav"] a').filter(
                    has_text=PAGE_TITLES[name]
                )
                started = time.perf_counter()
                link.first.click()
                wait_for_page(page, PAGE_TITLES[name], timeout_ms=120_000)
                expected = elements[name]
                page.wait_for_function(
                    f"""() => {{
                        const [charts, drawn, grids] = ({ELEMENT_COUNTS_JS})();
                        return charts >= {expected["charts"]} && drawn === charts
                            && grids >= {expected["grids"]}
                            && !document.querySelector('[data-testid="stSkeleton"]');
                    }}""",
                    timeout=120_000,
                )
                times[name].append(time.perf_counter() - started)
                if query.split("&")[0] not in page.url:
                    raise RuntimeError(f"{name}: the filters were lost on navigation")
                page.close()
    return times


def returning_runs(
    path: Path, query: str, warm_query: str, runs: int, pages: list[str]
) -> dict[str, list[float]]:
    """First render per page opened by its address in a browser that has used the app before
    (the daily visit): per run a fresh server and browser, one browser context whose cache gets
    the app's code from two visits of every page with other filters (Chromium keeps compiled
    code from a script's second load on), then each page in a new tab of that context with the
    measured filters, whose queries are not cached."""
    from tests.dashboards.live_app import wait_for_page

    def url(base: str, name: str, filters: str) -> str:
        return f"{base}/{'' if name == 'overview' else name}?{filters}"

    times: dict[str, list[float]] = {page: [] for page in pages}
    for _ in range(runs):
        with warmed_up_browser(path, warm_query) as (base, browser):
            context = browser.new_context(viewport={"width": 1500, "height": 1100})
            for _visit in range(2):
                for name in pages:
                    tab = context.new_page()
                    tab.goto(url(base, name, warm_query))
                    wait_for_page(tab, PAGE_TITLES[name], timeout_ms=120_000)
                    tab.close()
            for name in pages:
                tab = context.new_page()
                started = time.perf_counter()
                tab.goto(url(base, name, query))
                wait_for_page(tab, PAGE_TITLES[name], timeout_ms=120_000)
                times[name].append(time.perf_counter() - started)
                tab.close()
            context.close()
    return times


def record_renders(
    pages: dict[str, dict], times: dict[str, list[float]], prefix: str, meets: str, label: str
) -> None:
    """Store each page's render runs and median (``<prefix>render_seconds_*``) and print it."""
    for name, runs in times.items():
        median = statistics.median(runs)
        pages[name].update(
            {
                f"{prefix}render_seconds_runs": runs,
                f"{prefix}render_seconds_median": median,
                meets: median < 2.0,
            }
        )
        print(f"{name:13s} {label} {median:.2f} s")


def default_warehouse() -> Path:
    env = os.environ.get("COMPLAINTS_BENCH_WAREHOUSE")
    return Path(env) if env else ROOT / "data" / "bench" / "warehouse.duckdb"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", nargs="?", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--orders", type=int, default=10_000_000)
    parser.add_argument("--pages", default=",".join(PAGE_TITLES), help="comma-separated pages")
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.pages.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(PAGE_TITLES))
    if unknown:
        parser.error(f"unknown pages {unknown}; choose from {list(PAGE_TITLES)}")
    if set(chosen) != set(PAGE_TITLES) and args.out == RESULTS:
        parser.error("--pages measures part of the dashboard: give --out for its results")
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    load_at_start = os.getloadavg()[0]  # the machine is shared: say how busy it was
    warehouse = (args.warehouse or default_warehouse()).resolve()
    if not warehouse.exists():
        from tests.dashboards.pipeline_warehouse import build_pipeline_warehouse

        print(f"no warehouse at {warehouse}: building one of {args.orders:,} order lines")
        built = build_pipeline_warehouse(warehouse.parent, args.orders)
        if built != warehouse:
            built.replace(warehouse)
    source = data.current_source(warehouse)
    assert source is not None
    with duckdb.connect(str(warehouse), read_only=True) as con:
        order_lines = con.execute("select count(*) from raw.orders").fetchone()[0]
    filters = default_filters(source)
    calls = {name: call for name, call in page_calls(source, filters).items() if name in chosen}

    scans = [scan_seconds(source.path) for _ in range(args.runs)]
    scan_median = statistics.median(scans)
    count_median = statistics.median(scan_seconds(source.path, COUNT_SQL) for _ in range(args.runs))
    pages: dict[str, dict[str, object]] = {}
    for name, call in calls.items():
        render = one_render(source, call)
        render()  # warm the OS file cache the same way the scan was warmed
        runs = [timed(render) for _ in range(args.runs)]
        median = statistics.median(runs)
        per_call = statistics.median(timed(call) for _ in range(args.runs))
        pages[name] = {
            "query_seconds_runs": runs,
            "query_seconds_median": median,
            "ratio_to_full_scan": median / scan_median,
            "meets_query_target": median <= scan_median / 10,
            "connection_per_call_query_seconds_median": per_call,
        }
        print(
            f"{name:13s} queries {median:.3f} s = {median / scan_median:.2f} × full scan "
            f"(a connection per call: {per_call:.3f} s)"
        )
    with shared_connection(source.path) as anchor:
        warm_scans = []
        for _ in range(args.runs):
            warm_scans.append(timed(lambda: anchor.execute(SCAN_SQL).fetchall()))
        warm_scan = statistics.median(warm_scans)
        for name, call in calls.items():
            call()
            median = statistics.median(timed(call) for _ in range(args.runs))
            pages[name]["shared_connection_query_seconds_median"] = median
            pages[name]["shared_connection_ratio_to_warm_scan"] = median / warm_scan
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    if not args.no_browser:
        query = f"from={iso_week(filters.week_from)}&to={iso_week(filters.week_to)}"
        first = iso_week(data.filter_options.uncached(source)["weeks"][0])
        elements: dict[str, dict[str, int]] = {}
        warm = f"from={first}&to={first}"
        renders = browser_runs(warehouse, query, warm, args.runs, chosen, elements)
        record_renders(pages, renders, "", "meets_render_target", "first render")
        navigations = navigation_runs(warehouse, query, warm, args.runs, chosen, elements)
        record_renders(
            pages,
            navigations,
            "navigation_",
            "meets_render_target_from_navigation",
            "first render from the app's navigation",
        )
        for name in navigations:
            pages[name]["elements"] = elements[name]
        returning = returning_runs(warehouse, query, warm, args.runs, chosen)
        record_renders(
            pages,
            returning,
            "returning_",
            "meets_render_target_returning",
            "first render by address, browser used before",
        )

    result = {
        "benchmark": "dashboard",
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        },
        "warehouse": str(warehouse),
        "warehouse_bytes": warehouse.stat().st_size,
        "order_lines": order_lines,
        "filters": {"week_from": str(filters.week_from), "week_to": str(filters.week_to)},
        "runs": args.runs,
        "full_scan_sql": SCAN_SQL,
        "full_scan_seconds_runs": scans,
        "full_scan_seconds_median": scan_median,
        "full_scan_note": "the scan on its own fresh read-only connection; a page's queries on "
        "one per-render connection (open and close included), as the app runs them; "
        "connection_per_call_* is the earlier way (a fresh connection per data call); "
        "the reference is the per-merchant-week order lines and confirmed-defect lines from raw "
        "rows",
        "count_scan_sql": COUNT_SQL,
        "count_scan_seconds_median": count_median,
        "warm_scan_seconds_median": warm_scan,
        "shared_connection_note": "diagnostic: the same calls on one held connection (a cursor "
        "per call) against the scan on that connection; separates connection cost from work",
        "targets": {"query_ratio_max": 0.1, "render_seconds_max": 2.0},
        "pages": pages,
        "peak_memory_mb_queries": round(peak_mb, 1),
        "load_average_1min": {"start": load_at_start, "end": os.getloadavg()[0]},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
