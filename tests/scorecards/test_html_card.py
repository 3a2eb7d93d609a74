"""The HTML card shows the marts' numbers exactly, works offline, masks phones, prints on A4."""

from __future__ import annotations

import dataclasses
import re
import statistics
from decimal import Decimal
from urllib.parse import unquote

import pytest

from flows.config import Settings
from flows.contract import code_label
from flows.formatting import grade_explanation
from flows.scorecard.labels import Labels
from flows.scorecard.produce import read_cards, write_all
from flows.scorecard.queries import card_value
from flows.scorecard.weeks import IsoWeek
from tests.scorecards.conftest import mart_rows
from tests.scorecards.html_metrics import first, parse_metrics
from tests.scorecards.planted import (
    BAD_SKU,
    CATEGORY,
    EFFECTIVE_ACTION,
    MASKED_PHONE,
    MERCHANT,
    PENDING_ACTION,
    PLANTED_PHONE,
    TARGET_WEEK,
)

WEEK = IsoWeek.parse(TARGET_WEEK)
# The count each card rate rests on (written out here, not read from flows.formatting).
_RATE_BASE = {
    "defect_rate": "order_lines",
    "defect_rate_ci_low": "order_lines",
    "defect_rate_ci_high": "order_lines",
    "defect_rate_wow_change": "order_lines",
    "defect_rate_4w_trend": "order_lines",
    "merchant_evidence_on_time_rate": "merchant_evidence_n_measured",
}
CARD_METRICS = [
    "order_lines",
    "n_complaints_received",
    "n_confirmed_defects_received",
    "complaint_lines",
    "defect_lines",
    "defect_rate",
    "defect_rate_ci_low",
    "defect_rate_ci_high",
    "category_median_defect_rate",
    "defect_rate_percentile",
    "defect_rate_wow_change",
    "defect_rate_4w_trend",
    "merchant_evidence_on_time_rate",
    "refund_amount",
    "compensation_amount",
    "reopen_count",
    "n_recurrences",
    "grade",
    "grade_explanation",
] + [
    f"{stage}_{suffix}"
    for stage in ("acknowledge", "merchant_notified", "merchant_evidence", "resolution")
    for suffix in ("n_measured", "n_met", "compliance_rate")
]


@pytest.fixture(scope="module")
def written(pipeline_warehouse, tmp_path_factory):
    """The week's files in a language, written once per module (the tests only read them)."""
    settings = dataclasses.replace(Settings(), warehouse=pipeline_warehouse)
    done: dict[str, tuple] = {}

    def write(lang: str = "en"):
        if lang not in done:
            cards = read_cards(settings.warehouse, WEEK, settings, lang)
            out = tmp_path_factory.mktemp(f"cards-{lang}")
            categories, index = write_all(cards, out, settings, lang)
            done[lang] = ({m: p for c in categories for m, p in c.cards.items()}, categories, index)
        return done[lang]

    return write


def _mart_card(warehouse, merchant_id):
    (row,) = mart_rows(
        warehouse,
        "select * from marts.merchant_scorecard_weekly where merchant_id = ? and iso_week = ?",
        [merchant_id, TARGET_WEEK],
    )
    return row


def _one_merchant(warehouse, where: str, params: list | None = None) -> str:
    """The first merchant (by id) of the target week's scorecard matching ``where``."""
    rows = mart_rows(
        warehouse,
        "select merchant_id from marts.merchant_scorecard_weekly "
        f"where iso_week = ? and {where} order by merchant_id limit 1",
        [TARGET_WEEK, *(params or [])],
    )
    assert rows, f"the sample has a merchant with {where} in {TARGET_WEEK}"
    return rows[0]["merchant_id"]


@pytest.mark.parametrize(
    "where", ["merchant_id = 'M90001'", "grade is not null", "order_lines > 0 and grade is null"]
)
def test_card_shows_exactly_the_mart_numbers(written, settings, where):
    cards, _, _ = written("en")
    merchant_id = _one_merchant(settings.warehouse, where)
    html = cards[merchant_id].read_text(encoding="utf-8")
    parsed = parse_metrics(html)
    mart = _mart_card(settings.warehouse, merchant_id)
    minimum = Settings().min_rate_base
    small = []
    for name in CARD_METRICS:
        if name == "grade" and mart["grade"] is None:
            assert 'data-metric="grade_status"' in html
            continue
        value, text = first(parsed, name)
        # The explanation is worded from the mart's grade columns, in the card's language.
        expected = grade_explanation(mart, "en") if name == "grade_explanation" else mart[name]
        base = _RATE_BASE.get(name) or (
            name.replace("compliance_rate", "n_measured")
            if name.endswith("compliance_rate")
            else None
        )
        if base and expected is not None and (mart[base] or 0) < minimum:
            # Too few cases for a rate: never a number on the card (the note says why).
            assert value == "" and text == "—", (name, mart[base], text)
            small.append(name)
        elif expected is None:
            assert value == "" and text == "—", name
        elif isinstance(expected, str):
            assert value == expected, name
        elif isinstance(expected, Decimal):
            assert Decimal(value) == expected, name
        else:
            # The mart's value as the cards carry it (CARD_DIGITS significant digits).
            assert float(value) == card_value(float(expected)), name
    # Rates read as percentages with two decimals, as on the page.
    _, text = first(parsed, "defect_rate")
    if mart["order_lines"] >= minimum:
        assert text == f"{mart['defect_rate'] * 100:.2f} %"
    if merchant_id == "M01":  # its SLA stages of the week rest on a handful of complaints
        assert any(name.endswith("compliance_rate") for name in small), small
    assert f"fewer than {minimum} cases" in html
    _, text = first(parsed, "order_lines")
    assert text == f"{mart['order_lines']:,}"


def test_card_is_self_contained_and_prints_on_a4(written):
    cards, _, index = written("zh")
    for path in [*cards.values(), index]:
        html = path.read_text(encoding="utf-8")
        assert not re.search(r"https?://", html, re.IGNORECASE), path
        assert "<script" not in html and "<link" not in html and "@import" not in html
        for attributes in parse_metrics(html).attributes:
            for key in ("src", "href"):
                target = attributes.get(key)
                assert not target or not re.match(r"^[a-z]+:|^//", target), (path, target)
    card = cards[MERCHANT].read_text(encoding="utf-8")
    assert re.search(r"@page\s*{\s*size:\s*A4", card)
    assert "@media print" in card
    assert "<svg" in card  # the trend chart is inline


def test_phone_numbers_never_appear_in_clear(written):
    cards, _, index = written("zh")
    texts = [p.read_text(encoding="utf-8") for p in [*cards.values(), index]]
    assert all(PLANTED_PHONE not in text for text in texts)
    assert any(MASKED_PHONE in text for text in texts)  # the masked form is what shows


def test_merchant_without_orders_gets_the_no_activity_card(written, settings):
    cards, _, _ = written("en")
    merchant_id = _one_merchant(settings.warehouse, "order_lines = 0")
    mart = _mart_card(settings.warehouse, merchant_id)
    assert mart["order_lines"] == 0 and mart["defect_rate"] is None
    html = cards[merchant_id].read_text(encoding="utf-8")
    assert 'data-section="no-activity"' in html
    assert "No activity this week" in html
    metrics = {name for name, _, _ in parse_metrics(html).metrics}
    assert "defect_rate" not in metrics and "order_lines" not in metrics
    assert not re.search(r">\s*0(\.00)? ?%\s*<", html)  # no zero rates


def test_overdue_complaints_listed_with_stage_and_hours(written, settings):
    cards, _, _ = written("en")
    stages = ("acknowledge", "merchant_notified", "merchant_evidence", "resolution")
    expected = {}
    for stage in stages:
        for row in mart_rows(
            settings.warehouse,
            f"select complaint_id, {stage}_overdue_hours as h from marts.complaints "
            f"where merchant_id = ? and is_counted and {stage}_status = 'open_overdue'",
            [MERCHANT],
        ):
            expected[(row["complaint_id"], stage)] = row["h"]
    assert len(expected) == 3  # the three planted complaints still waiting for evidence
    html = cards[MERCHANT].read_text(encoding="utf-8")
    rows = re.findall(
        r'<tr data-overdue="([^"]+)"><td>[^<]*</td><td>([^<]*)</td>\s*<td class="num">'
        r'<span data-metric="overdue_hours" data-value="([^"]*)">',
        html,
    )
    labels = {stage: Labels("en").code(stage, "stage") for stage in stages}
    shown = {(cid, stage_label): float(hours) for cid, stage_label, hours in rows}
    assert shown == ({(cid, labels[stage]): card_value(h) for (cid, stage), h in expected.items()})


def test_pending_corrective_action_shows_as_pending(written, settings):
    cards, _, _ = written("en")
    html = cards[MERCHANT].read_text(encoding="utf-8")
    pending = re.search(
        rf'<tr data-action-id="{PENDING_ACTION}" data-evaluation="pending">(.*?)</tr>', html, re.S
    )
    assert pending and Labels("en").code("pending", "evaluation") in pending[1]
    assert "relative_change" not in pending[1]  # no effect shown for an immature action
    done = re.search(
        rf'<tr data-action-id="{EFFECTIVE_ACTION}" data-evaluation="effective">(.*?)</tr>',
        html,
        re.S,
    )
    (mart,) = mart_rows(
        settings.warehouse,
        "select relative_change from marts.corrective_action_effectiveness where action_id = ?",
        [EFFECTIVE_ACTION],
    )
    assert done
    shown = re.search(r'data-metric="relative_change" data-value="([^"]*)"', done[1])
    assert shown and float(shown[1]) == card_value(mart["relative_change"])


def test_immature_week_is_flagged(written, settings):
    cards, _, _ = written("en")
    assert _mart_card(settings.warehouse, MERCHANT)["is_mature"] is False
    assert 'data-flag="immature"' in cards[MERCHANT].read_text(encoding="utf-8")


def test_sku_recommendation_follows_the_documented_rule(written, settings):
    """A SKU is named when its 8-week defect rate ≥ 2× the category median over ≥ 5 defects."""
    cards, _, _ = written("en")
    window = [WEEK.shifted(-n).start for n in range(settings.reco_sku_window_weeks)]
    medians = mart_rows(
        settings.warehouse,
        "select distinct week_start, category_median_defect_rate as m "
        "from marts.merchant_scorecard_weekly where category = ? and week_start >= ?",
        [CATEGORY, min(window)],
    )
    median = statistics.median(r["m"] for r in medians)
    skus = mart_rows(
        settings.warehouse,
        "select sku_id, sum(defect_lines) as d, sum(order_lines) as n "
        "from marts.sku_defect_rates_weekly where merchant_id = ? and order_week >= ? "
        "and order_week <= ? group by sku_id",
        [MERCHANT, min(window), WEEK.start],
    )
    flagged = {r["sku_id"] for r in skus if r["d"] >= 5 and r["d"] / r["n"] >= 2 * median}
    assert flagged == {BAD_SKU}  # the planted bad SKU, and only it
    html = cards[MERCHANT].read_text(encoding="utf-8")
    items = re.findall(r'<li data-rule="sku-defects">(.*?)</li>', html, re.S)
    assert len(items) == 1 and BAD_SKU in items[0]
    s01a = next(r for r in skus if r["sku_id"] == BAD_SKU)
    if median:
        assert f"{s01a['d'] / s01a['n'] / median:.1f}×" in items[0]
    else:  # no ratio against a zero median: the card says so
        assert "category median is 0" in items[0]
    assert f"{s01a['d']} confirmed defects" in items[0]


def test_sla_recommendation_names_the_stage_below_target(written, settings):
    cards, _, _ = written("en")
    mart = _mart_card(settings.warehouse, MERCHANT)
    rate = mart["merchant_evidence_compliance_rate"]
    assert rate < settings.reco_sla_target_rate
    html = cards[MERCHANT].read_text(encoding="utf-8")
    (item,) = re.findall(r'<li data-rule="sla-merchant_evidence">(.*?)</li>', html, re.S)
    assert f"{rate * 100:.0f} % &lt; 90 % target" in item


def test_languages(written):
    zh, _, _ = written("zh")
    html = zh[MERCHANT].read_text(encoding="utf-8")
    assert '<html lang="zh">' in html and "缺陷率" in html
    en, _, _ = written("en")
    assert '<html lang="en">' in en[MERCHANT].read_text(encoding="utf-8")


def test_index_links_every_card_and_workbook(written):
    cards, categories, index = written("en")
    html = index.read_text(encoding="utf-8")
    hrefs = {a.get("href") for a in parse_metrics(html).attributes if a.get("href")}
    base = index.parent
    targets = {(base / unquote(h)).resolve() for h in hrefs}
    expected = {p.resolve() for p in cards.values()} | {c.workbook.resolve() for c in categories}
    assert targets == expected
    assert all(t.exists() for t in targets)


def test_top_issue_types_and_skus_from_the_mart_lists(written, settings):
    cards, _, _ = written("zh")
    html = cards[MERCHANT].read_text(encoding="utf-8")
    mart = _mart_card(settings.warehouse, MERCHANT)
    section = html.split('data-section="top-issue-types"', 1)[1].split("</section>", 1)[0]
    n_quality = re.search(r"quality_defect \((\d+)\)", mart["top_issue_types"])[1]
    assert f"质量问题 ({n_quality})" in section  # the code translated, the mart's count kept
    names = {
        r["sku_id"]: r["sku_name"]
        for r in mart_rows(
            settings.warehouse,
            "select distinct sku_id, sku_name from marts.sku_defect_rates_weekly",
        )
    }
    for sku_id, count in re.findall(r"(\S+) \((\d+)\)", mart["top_skus"]):
        shown = f"{sku_id} {names[sku_id].replace(PLANTED_PHONE, MASKED_PHONE)} ({count})"
        assert shown in section


def test_sla_section_states_each_targets_unit(written):
    en, _, _ = written("en")
    html = en[MERCHANT].read_text(encoding="utf-8")
    targets = dict(re.findall(r'<tr data-stage="(\w+)">.*?<td data-target>(.*?)</td>', html, re.S))
    assert targets["merchant_notified"] == "24 h"
    # Channels and units worded by the one code table (flows.contract.CODES).
    assert targets["acknowledge"] == "App, Web form, Social media: 2 h; Hotline: 2 working h"
    assert targets["merchant_evidence"] == (
        "App, Hotline, Social media: 48 h; Web form: 2 working days"
    )
    zh, _, _ = written("zh")
    html = zh[MERCHANT].read_text(encoding="utf-8")
    assert "在线表单: 2 个工作日" in html and "客服热线: 2 工作小时" in html


def test_legal_section_lists_the_below_entitlement_complaints(written, settings):
    counts = mart_rows(
        settings.warehouse,
        "select merchant_id, sum(n_checked) as c, sum(n_entitled) as e, sum(n_below) as b "
        "from marts.legal_compliance_weekly where received_week = ? group by merchant_id "
        "having sum(n_below) > 0 order by merchant_id limit 1",
        [WEEK.start],
    )
    assert counts, "the sample has a complaint below its legal entitlement in the target week"
    merchant_id, checked, entitled, below = counts[0].values()
    checks = mart_rows(
        settings.warehouse,
        "select complaint_id, below_rule, entitled_remedy, remedy_given "
        "from marts.legal_entitlement_checks "
        "where merchant_id = ? and received_week = ? and is_below_entitlement",
        [merchant_id, WEEK.start],
    )
    en, _, _ = written("en")
    html = en[merchant_id].read_text(encoding="utf-8")
    (section,) = re.findall(r'<section data-section="legal">(.*?)</section>', html, re.S)
    assert f"{checked} checked, {entitled} with an entitlement, {below} below it" in section
    rows = dict(re.findall(r'<tr data-legal="(\w+)">(.*?)</tr>', section, re.S))
    assert set(rows) == {c["complaint_id"] for c in checks}
    for check in checks:
        assert code_label("legal_rule", check["below_rule"], "en") in rows[check["complaint_id"]]
    # A merchant without checked complaints shows no legal section.
    unchecked = _one_merchant(
        settings.warehouse,
        "merchant_id not in (select merchant_id from marts.legal_compliance_weekly "
        "where received_week = ?)",
        [WEEK.start],
    )
    assert 'data-section="legal"' not in en[unchecked].read_text(encoding="utf-8")
    zh, _, _ = written("zh")
    zh_rule = code_label("legal_rule", checks[0]["below_rule"], "zh")
    assert zh_rule in zh[merchant_id].read_text(encoding="utf-8")
