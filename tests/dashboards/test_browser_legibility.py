"""Every page in both languages in a real Chromium at 1440×900: a screenshot of each kept under
``artifacts/screenshots/<lang>/<page>.png`` (CI keeps the folder), the page's text in one
language, and in every chart no two labels overlapping and none cut off at the chart's edge."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboards.i18n import t
from tests.dashboards.live_app import launch_chromium, running_dashboard, wait_for_page
from tests.dashboards.test_app import PAGES
from tests.language import Checker, data_values, sql_identifiers

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
VIEWPORT = {"width": 1440, "height": 900}
CHARTS = {"overview": 4, "merchants": 1, "skus": 1, "sla": 3}  # plotly charts drawn at least

# The text labels plotly drew in each chart (ticks, titles, legend, annotations, point labels),
# with their boxes on screen; pairs whose boxes overlap, and labels that stick out of the chart.
_LABEL_BOXES = """
() => Array.from(document.querySelectorAll('.js-plotly-plot')).map((plot, index) => {
  const frame = plot.getBoundingClientRect();
  const title = plot.querySelector('.gtitle');
  const labels = [];
  plot.querySelectorAll('svg text').forEach((el) => {
    const text = (el.textContent || '').trim();
    const box = el.getBoundingClientRect();
    const style = window.getComputedStyle(el);
    if (!text || box.width === 0 || box.height === 0) return;
    if (style.visibility === 'hidden' || style.display === 'none' || style.opacity === '0') return;
    const group = el.closest('[class]') ? el.closest('g[class]')?.getAttribute('class') : '';
    labels.push({text, group: group || '', x0: box.left, y0: box.top, x1: box.right,
                 y1: box.bottom});
  });
  return {index, title: title ? title.textContent : '', frame: {x0: frame.left, y0: frame.top,
          x1: frame.right, y1: frame.bottom}, labels};
})
"""
# The page's text as a reader sees it: icons are ligatures of names ("keyboard_arrow_right") in
# an icon font, not words; on the SQL console the schema's documentation (the dbt YAML, English)
# and a result's cells are shown as stored (as in the AppTest walk).
_PAGE_TEXT = """
(rawSql) => {
  const main = document.querySelector('[data-testid="stMain"]').cloneNode(true);
  main.querySelectorAll('[data-testid="stIconMaterial"], [data-testid="stExpanderIcon"]')
    .forEach((el) => el.remove());
  if (rawSql) main.querySelectorAll('[data-testid="stExpanderDetails"]')
    .forEach((el) => el.remove());
  document.body.appendChild(main);
  const text = main.innerText;
  main.remove();
  return text;
}
"""
SLACK = 1.0  # px: glyph boxes of neighbouring ticks may touch


def _overlap(a: dict, b: dict) -> bool:
    return (
        min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > SLACK
        and min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > SLACK
    )


def chart_problems(charts: list[dict]) -> list[str]:
    """Overlapping label pairs and clipped labels, chart by chart."""
    problems = []
    for chart in charts:
        labels, frame = chart["labels"], chart["frame"]
        name = chart["title"] or f"chart {chart['index']}"
        for i, a in enumerate(labels):
            if (
                a["x0"] < frame["x0"] - SLACK
                or a["x1"] > frame["x1"] + SLACK
                or a["y0"] < frame["y0"] - SLACK
                or a["y1"] > frame["y1"] + SLACK
            ):
                problems.append(f"{name}: {a['text']!r} is cut off at the chart's edge")
            for b in labels[i + 1 :]:
                if _overlap(a, b):
                    problems.append(f"{name}: {a['text']!r} overlaps {b['text']!r}")
    return problems


def _screenshot(page, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its main block, so the window is made as tall
    as the content for the shot (the checks above ran at 1440×900)."""
    height = page.evaluate(
        """() => Math.max(900, ...[...document.querySelectorAll(
            '[data-testid="stMain"], [data-testid="stMainBlockContainer"]')]
            .map((el) => el.scrollHeight))"""
    )
    page.set_viewport_size({"width": VIEWPORT["width"], "height": min(int(height) + 80, 12000)})
    page.wait_for_timeout(500)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(VIEWPORT)


def test_chart_check_can_fail():
    box = {"x0": 0, "y0": 0, "x1": 50, "y1": 10}
    crossing = {"text": "b", "x0": 40, "y0": 5, "x1": 90, "y1": 15}
    chart = {"index": 0, "title": "t", "frame": {"x0": 0, "y0": 0, "x1": 80, "y1": 100}}
    assert len(chart_problems([{**chart, "labels": [{"text": "a", **box}, crossing]}])) == 2


def test_every_page_in_both_languages_is_legible(scenario):
    from playwright.sync_api import sync_playwright

    checker = Checker(data_values(scenario.warehouse))
    sql_checker = Checker(
        data_values(scenario.warehouse) | sql_identifiers(scenario.warehouse), {"SELECT"}
    )
    query = "&".join(f"{key}={value}" for key, value in scenario.query.items())
    (first,) = scenario.one("select min(order_week) from marts.merchant_defect_rates_weekly")
    year = f"from={scenario.iso(first)}&to={scenario.query['to']}"
    found: list[str] = []
    with running_dashboard(Path(scenario.warehouse)) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            for lang in ("zh", "en"):
                folder = SCREENSHOTS / lang
                folder.mkdir(parents=True, exist_ok=True)
                # Every page over the test period, and the charts that grow with time over the
                # data's whole year.
                visits = [(p, query, p) for p in PAGES]
                visits += [(p, year, f"{p}_year") for p in ("recurrence", "merchants", "sla")]
                for url_path, params, shot in visits:
                    path = "" if url_path == "overview" else url_path
                    page.goto(f"{base}/{path}?{params}&lang={lang}")
                    wait_for_page(page, t(f"page_{url_path}", lang), CHARTS.get(url_path, 0))
                    assert page.locator('[data-testid="stException"]').count() == 0, url_path
                    page.wait_for_timeout(300)  # plotly's last relayout after the fonts load
                    sql = url_path == "sql"
                    main = page.evaluate(_PAGE_TEXT, sql)
                    check = sql_checker if sql else checker
                    found += [f"{lang}/{shot} text: {s}" for s in check.stray(main, lang)]
                    boxes = page.evaluate(_LABEL_BOXES)
                    found += [f"{lang}/{shot} {p}" for p in chart_problems(boxes)]
                    _screenshot(page, folder / f"{shot}.png")
        finally:
            browser.close()
    assert not found, f"{len(found)} problems:\n" + "\n".join(found)
