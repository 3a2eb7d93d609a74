"""Every page in a real headless Chromium: content appears, no exception box, key numbers right."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.dashboards.live_app import launch_chromium, running_dashboard, wait_for_page

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
QUERY = "?from=2026-W37&to=2026-W47"
PAGES = {  # url path: (title, plotly charts the page draws at least)
    "overview": ("总览", 4),
    "merchants": ("商家", 1),
    "skus": ("商品 SKU", 2),
    "sla": ("时效 SLA", 3),
    "recurrence": ("复发与整改", 1),
    "scorecards": ("商家周评分卡", 0),
    "data_quality": ("数据质量", 0),
    "sql": ("SQL 控制台", 0),
}


def test_every_page_in_a_real_browser(warehouse):
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        n_complaints = con.execute(
            """select count(*) from marts.complaints where status <> 'withdrawn'
               and received_week between date '2026-09-07' and date '2026-11-16'"""
        ).fetchone()[0]
        n_hotline = con.execute(
            """select count(*) from marts.complaints where status <> 'withdrawn'
               and channel = 'hotline'
               and received_week between date '2026-09-07' and date '2026-11-16'"""
        ).fetchone()[0]
    with running_dashboard(Path(warehouse)) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1100})
            for url_path, (title, charts) in PAGES.items():
                # The default page lives at the root URL.
                page.goto(f"{base}/{'' if url_path == 'overview' else url_path}{QUERY}")
                wait_for_page(page, title, charts)
                assert page.get_by_text("Page not found").count() == 0, url_path
                assert page.locator('[data-testid="stException"]').count() == 0, url_path
                assert page.get_by_text("数据截至").count() > 0, url_path
                page.screenshot(path=str(SCREENSHOTS / f"{url_path}.png"), full_page=True)

            page.goto(f"{base}/{QUERY}")
            wait_for_page(page, "总览", charts=4)
            metric = page.locator('[data-testid="stMetric"]', has_text="投诉量（有效）").first
            assert f"{n_complaints:,}" in metric.inner_text()
            assert page.locator(".js-plotly-plot").count() >= 4

            # A shared link: English and a channel filter come from the URL.
            page.goto(f"{base}/sla{QUERY}&lang=en&channel=hotline")
            wait_for_page(page, "SLA")
            # Switching pages keeps the filters, in the session and in the address bar.
            page.get_by_text("Overview", exact=True).first.click()
            wait_for_page(page, "Overview")
            page.wait_for_url("**channel=hotline**")
            metric = page.locator('[data-testid="stMetric"]', has_text="Complaints (counted)")
            assert f"{n_hotline:,}" in metric.first.inner_text()
            assert page.locator('[data-testid="stException"]').count() == 0
            page.screenshot(path=str(SCREENSHOTS / "overview_en_hotline.png"), full_page=True)
        finally:
            browser.close()
