"""The planted resolution outcomes are found by the marts on the generator's default data (the
session's default sample: no extra build)."""

from __future__ import annotations

import pytest

from tests.models.samples import _mart

MIN_ENTITLED = 50  # merchants with fewer entitled complaints are not ranked


def test_the_weaker_remedy_merchant_tops_the_below_entitlement_rate(default_sample):
    truth, warehouse = default_sample
    rates = _mart(
        warehouse,
        "select merchant_id, sum(n_entitled) as n_entitled, sum(n_below) as n_below, "
        "sum(n_below) / sum(n_entitled) as rate from marts.legal_compliance_weekly "
        f"group by merchant_id having sum(n_entitled) >= {MIN_ENTITLED} order by rate desc",
    )
    assert len(rates) >= 10
    top, runner_up = rates.iloc[0], rates.iloc[1]
    assert top["merchant_id"] == truth["weaker_remedy_merchant"]["merchant_id"]
    assert top["rate"] > 1.5 * runner_up["rate"]
    rules = _mart(
        warehouse,
        "select remedy_given, count(*) as n from marts.legal_entitlement_checks "
        f"where is_below_entitlement and merchant_id = '{top['merchant_id']}' group by all",
    ).set_index("remedy_given")["n"]
    assert rules.idxmax() == "partial_refund"


def test_the_under_compensated_counterfeit_is_listed_with_its_shortfall(default_sample):
    truth, warehouse = default_sample
    case = truth["under_compensated_counterfeit"]
    row = _mart(
        warehouse,
        "select * from marts.legal_entitlement_checks where complaint_id = "
        f"'{case['complaint_id']}'",
    )
    assert len(row) == 1
    row = row.iloc[0]
    assert bool(row["is_counterfeit"]) and bool(row["is_below_entitlement"])
    assert bool(row["is_compensation_below"]) and not bool(row["is_accepted"])
    assert row["below_rule"] == "counterfeit_compensation"
    assert row["paid_amount"] == pytest.approx(case["paid_amount"])
    assert row["required_compensation"] == pytest.approx(case["required_compensation"])
    assert row["compensation_shortfall"] == pytest.approx(case["shortfall"])
