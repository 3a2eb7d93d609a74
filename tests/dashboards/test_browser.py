"""Every page in a real headless Chromium: content appears, no exception box, key numbers right."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from dashboards.i18n import column_label
from tests.dashboards.live_app import launch_chromium, running_dashboard, wait_for_page

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PAGES = {  # url path: (title, plotly charts the page draws at least)
    "overview": ("总览", 4),
    "merchants": ("商家", 1),
    "skus": ("商品 SKU", 1),
    "sla": ("时效 SLA", 3),
    "compliance": ("合规", 0),
    "recurrence": ("复发与整改", 0),
    "scorecards": ("商家周评分卡", 0),
    "data_quality": ("数据质量", 0),
    "sql": ("SQL 控制台", 0),
}


def test_every_page_in_a_real_browser(scenario):
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    query = "?" + "&".join(f"{key}={value}" for key, value in scenario.query.items())
    n_complaints = scenario.counted()
    n_channel = scenario.counted(channel=scenario.channel)
    with running_dashboard(Path(scenario.warehouse)) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1100})
            for url_path, (title, charts) in PAGES.items():
                # The default page lives at the root URL.
                page.goto(f"{base}/{'' if url_path == 'overview' else url_path}{query}")
                wait_for_page(page, title, charts)
                assert page.get_by_text("Page not found").count() == 0, url_path
                assert page.locator('[data-testid="stException"]').count() == 0, url_path
                assert page.get_by_text("数据截至").count() > 0, url_path
                page.screenshot(path=str(SCREENSHOTS / f"{url_path}.png"), full_page=True)

            page.goto(f"{base}/{query}")
            wait_for_page(page, "总览", charts=4)
            metric = page.locator('[data-testid="stMetric"]', has_text="投诉量（有效）").first
            value = metric.locator('[data-testid="stMetricValue"]').inner_text()
            assert value.strip() == f"{n_complaints:,}"
            assert page.locator(".js-plotly-plot").count() >= 4

            # A shared link: English and a channel filter come from the URL.
            page.goto(f"{base}/sla{query}&lang=en&channel={scenario.channel}")
            wait_for_page(page, "SLA")
            # Switching pages keeps the filters, in the session and in the address bar.
            page.get_by_text("Overview", exact=True).first.click()
            wait_for_page(page, "Overview")
            page.wait_for_url(f"**channel={scenario.channel}**")
            metric = page.locator('[data-testid="stMetric"]', has_text="Complaints (counted)")
            value = metric.first.locator('[data-testid="stMetricValue"]').inner_text()
            assert value.strip() == f"{n_channel:,}"
            assert page.locator('[data-testid="stException"]').count() == 0
            page.screenshot(path=str(SCREENSHOTS / "overview_en_channel.png"), full_page=True)

            # The scorecard files are built when a download starts: the CSV of the week shown.
            page.goto(f"{base}/scorecards{query}")
            wait_for_page(page, "商家周评分卡")
            week = page.get_by_role("heading", name=re.compile(r"\d{4}-W\d{2}")).first.inner_text()
            week = re.search(r"\d{4}-W\d{2}", week).group(0)
            with page.expect_download() as download:
                page.get_by_role("button", name="下载 CSV").click()
            assert download.value.suggested_filename == f"scorecard_{week}.csv"
            content = Path(download.value.path()).read_bytes()
            assert content.startswith(b"\xef\xbb\xbf")
            rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
            (expected,) = scenario.one(
                "select count(*) from marts.merchant_scorecard_weekly where iso_week = ?", [week]
            )
            # The one scorecard layout: the week is in the file name, each row a merchant.
            headers = [column_label(c, "zh") for c in ("merchant_id", "merchant_name")]
            assert rows[0][:2] == headers and len(rows) - 1 == expected > 0
            merchants = scenario.all(
                "select merchant_id from marts.merchant_scorecard_weekly where iso_week = ?", [week]
            )
            assert {row[0] for row in rows[1:]} == {m for (m,) in merchants}

            # The server runs on uvloop and httptools (a fresh tab's frontend files come far
            # sooner than with the pure-Python defaults; benchmarks/diary.md).
            libraries = _loaded_libraries(int(base.rsplit(":", 1)[1]))
            assert "/uvloop/" in libraries and "/httptools/" in libraries
        finally:
            browser.close()


def _loaded_libraries(port: int) -> str:
    """The memory map (shared libraries included) of the streamlit server on ``port``."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().decode(errors="replace").split("\0")
            serving = "streamlit" in args and "--server.port" in args
            if serving and args[args.index("--server.port") + 1] == str(port):
                return (cmdline.parent / "maps").read_text()
        except OSError:  # a process that ended meanwhile
            continue
    raise AssertionError(f"no streamlit server process on port {port}")
