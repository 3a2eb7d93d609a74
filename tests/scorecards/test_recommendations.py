"""The documented recommendation rules, one card at a time (cards built in the test)."""

from __future__ import annotations

import dataclasses

from flows.config import SLA_STAGES, Settings
from flows.scorecard.cards import MerchantCard
from flows.scorecard.labels import Labels
from flows.scorecard.recommendations import recommend

SETTINGS = Settings()
EN = Labels("en")


def _card(**changes) -> MerchantCard:
    row = {
        "merchant_id": "M9",
        "merchant_name": "Shop",
        "category": "c",
        "order_lines": 400,
        "defect_rate": 0.004,
        "category_median_defect_rate": 0.004,
        "grade": "A",
        "is_mature": True,
        "defect_rate_wow_change": 0.0,
        "defect_rate_4w_trend": 0.0,
    }
    row.update(changes.pop("row", {}))
    sla = [{"stage": s, "n_measured": 10, "n_met": 10, "compliance_rate": 1.0} for s in SLA_STAGES]
    fields = {
        "row": row,
        "previous": None,
        "trend": [],
        "skus": [],
        "sla": sla,
        "overdue": [],
        "recurrences": [],
        "actions": [],
        "category_window_median": 0.004,
    }
    fields.update(changes)
    return MerchantCard(**fields)


def _rules(card: MerchantCard, settings: Settings = SETTINGS) -> list[str]:
    return [r.rule for r in recommend(card, settings, EN)]


def _sku(sku_id: str, defects: int, lines: int) -> dict:
    return {
        "sku_id": sku_id,
        "sku_name": "kettle",
        "window_defect_lines": defects,
        "window_order_lines": lines,
        "window_defect_rate": defects / lines,
        "window_is_mature": True,
    }


def test_a_quiet_merchant_gets_no_recommendation():
    assert _rules(_card()) == []


def test_sku_rule_needs_both_the_ratio_and_enough_defects():
    median = 0.004
    at_ratio = _sku("S1", 8, 1000)  # 0.8 % = 2.0 × median, 8 defects
    few = _sku("S2", 4, 100)  # 4 % but only 4 defects
    below = _sku("S3", 7, 1000)  # 0.7 % < 2 × median
    card = _card(skus=[at_ratio, few, below], category_window_median=median)
    recos = recommend(card, SETTINGS, EN)
    assert [(r.rule, r.subject) for r in recos] == [("sku-defects", "S1")]
    assert "2.0×" in recos[0].text and "open a corrective action" in recos[0].text
    stricter = dataclasses.replace(SETTINGS, reco_sku_defect_ratio=2.5)
    assert _rules(card, stricter) == []


def test_sku_rule_follows_up_an_open_action_instead_of_opening_one():
    action = {
        "action_id": "CA-7",
        "sku_id": "S1",
        "evaluation": "pending",
        "action_type": "process_fix",
    }
    (reco,) = recommend(_card(skus=[_sku("S1", 9, 1000)], actions=[action]), SETTINGS, EN)
    assert "CA-7" in reco.text and "open a corrective action" not in reco.text


def test_sla_rule_threshold_and_minimum_volume():
    sla = [
        {"stage": "merchant_evidence", "n_measured": 10, "n_met": 6, "compliance_rate": 0.6},
        {"stage": "acknowledge", "n_measured": 4, "n_met": 0, "compliance_rate": 0.0},
        {"stage": "resolution", "n_measured": 10, "n_met": 9, "compliance_rate": 0.9},
    ]
    recos = recommend(_card(sla=sla), SETTINGS, EN)
    assert [r.rule for r in recos] == ["sla-merchant_evidence"]
    assert "60 % < 90 % target (6/10)" in recos[0].text


def test_overdue_rule_comes_first():
    overdue = [
        {"complaint_id": "C1", "overdue_hours": 30.0},
        {"complaint_id": "C2", "overdue_hours": 70.5},
    ]
    recos = recommend(_card(overdue=overdue, row={"grade": "D"}), SETTINGS, EN)
    assert [r.rule for r in recos] == ["overdue", "grade-d"]
    assert "2 complaint(s)" in recos[0].text and "70.5 h" in recos[0].text


def test_recurrence_rule_only_for_defect_issue_types():
    """The mart flags the confirmed-defect issue types (complaint_recurrence.is_defect_issue)."""

    def recurrence(issue, is_defect_issue):
        return {
            "complaint_id": "A",
            "recurred_by_complaint_id": "B",
            "sku_id": "S1",
            "sku_name": "kettle",
            "issue_type": issue,
            "is_defect_issue": is_defect_issue,
        }

    assert _rules(_card(recurrences=[recurrence("quality_defect", True)])) == ["recurrence"]
    assert _rules(_card(recurrences=[recurrence("misuse", False)])) == []


def test_escalation_only_on_no_detectable_change_or_worsened_and_rising_rate():
    action = {
        "action_id": "CA-1",
        "action_type": "process_fix",
        "before_defect_rate": 0.02,
        "after_defect_rate": 0.018,
        "relative_change": -0.1,
        "relative_change_ci_low": -0.3,
        "relative_change_ci_high": 0.15,
        "p_value": 0.4,
        "power": 0.93,
    }
    for verdict, rules in (
        ("no_detectable_change", ["action-escalate"]),
        ("worsened", ["action-escalate"]),
        ("insufficient_data", []),
        ("pending", []),
        ("effective", []),
    ):
        assert _rules(_card(actions=[{**action, "evaluation": verdict}])) == rules, verdict
    (reco,) = recommend(
        _card(actions=[{**action, "evaluation": "no_detectable_change"}]), SETTINGS, EN
    )
    assert "-10.0 %" in reco.text and "-30.0 %" in reco.text and "+15.0 %" in reco.text
    assert "power 93 %" in reco.text
    rising = {"defect_rate_wow_change": 0.006, "defect_rate_4w_trend": 0.001}
    assert _rules(_card(row=rising)) == ["rising"]
    assert _rules(_card(row={**rising, "defect_rate_4w_trend": -0.001})) == []


def test_no_orders_no_rate_based_rules():
    card = _card(
        row={"order_lines": 0, "defect_rate": None, "grade": "D"}, skus=[_sku("S1", 9, 1000)]
    )
    assert _rules(card) == []


def test_at_most_the_configured_number_of_items():
    sla = [{"stage": s, "n_measured": 10, "n_met": 1, "compliance_rate": 0.1} for s in SLA_STAGES]
    card = _card(sla=sla, skus=[_sku(f"S{i}", 9, 1000) for i in range(5)])
    assert len(recommend(card, SETTINGS, EN)) == SETTINGS.reco_max_items


def test_one_line_per_finding_three_ids_then_and_n_more():
    overdue = [{"complaint_id": f"C{i}", "overdue_hours": float(i)} for i in range(7)]
    (reco,) = recommend(_card(overdue=overdue), SETTINGS, EN)
    assert "C0, C1, C2 and 4 more" in reco.text and "C3" not in reco.text
    assert "\n" not in reco.text


def test_no_ratio_against_a_zero_category_median():
    card = _card(skus=[_sku("S1", 9, 1000)], category_window_median=0.0)
    (reco,) = recommend(card, SETTINGS, EN)
    assert "category median is 0" in reco.text
    assert "∞" not in reco.text and "×" not in reco.text
