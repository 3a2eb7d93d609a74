"""Sign-in and roles in a real headless Chromium: before sign-in nothing but the form; an
analyst's navigation has the SQL console and no data-quality page; a merchant reaches only its
own scorecard, and another page's address does not open it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from dashboards.i18n import column_label, t
from tests.dashboards.live_app import launch_chromium, running_dashboard, wait_for_page
from tests.dashboards.test_auth import PASSWORD, people_of, write_users

pytestmark = pytest.mark.browser


def _sign_in(page, base: str, username: str, path: str = "") -> None:
    page.goto(f"{base}/{path}")
    page.get_by_role("heading", name="登录", exact=True).wait_for(timeout=30000)
    assert page.locator('[data-testid="stMetric"]').count() == 0
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def _nav_titles(page) -> set[str]:
    links = page.locator('[data-testid="stSidebarNav"] a')
    # Each link reads "<icon name>\n\n<title>": keep the title.
    return {text.strip().splitlines()[-1] for text in links.all_inner_texts()}


def test_roles_in_a_real_browser(warehouse, tmp_path, monkeypatch):
    from playwright.sync_api import sync_playwright

    people = people_of(warehouse)
    users = write_users(tmp_path / "users.yml", people.accounts)
    monkeypatch.setenv("COMPLAINTS_DASHBOARD_USERS", str(users))
    with running_dashboard(warehouse) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            _sign_in(page, base, "ana")
            wait_for_page(page, t("page_overview", "zh"))
            nav = _nav_titles(page)
            assert t("page_sql", "zh") in nav and t("page_data_quality", "zh") not in nav

            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            _sign_in(page, base, "merchant", "data_quality")
            wait_for_page(page, t("page_scorecards", "zh"))
            assert page.get_by_role("heading", name=t("page_data_quality", "zh")).count() == 0
            assert not _nav_titles(page) - {t("page_scorecards", "zh")}
            # The scorecard the merchant can download holds its own row only.
            with page.expect_download() as download:
                page.get_by_role("button", name="下载 CSV").click()
            text = Path(download.value.path()).read_bytes().decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(text)))
            merchant = rows[0].index(column_label("merchant_id", "zh"))
            assert len(rows) == 2 and rows[1][merchant] == people.merchant_id
            assert page.locator('[data-testid="stException"]').count() == 0
        finally:
            browser.close()
