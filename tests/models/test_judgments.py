"""The judgments a quality manager acts on, checked on the generator's default sample against its
ground truth: grades of the planted bad-batch merchants, verdicts of the planted effective
actions, recurrence = the planted remedy failures."""

from __future__ import annotations

import pandas as pd

from tests.models.samples import _mart


def test_bad_batch_merchants_graded_c_or_worse_after_their_batch(default_sample):
    truth, warehouse = default_sample
    cards = _mart(
        warehouse,
        "select merchant_id, week_start, grade, grade_status, grade_window_start_iso_week, "
        "grade_window_end_iso_week from marts.merchant_scorecard_weekly",
    )
    cards["week_start"] = pd.to_datetime(cards["week_start"])
    assert truth["bad_batches"]
    for batch in truth["bad_batches"]:
        first, last = (
            pd.Timestamp(w) for w in (min(batch["order_weeks"]), max(batch["order_weeks"]))
        )
        # The scorecard weeks after the batch whose mature window still holds all of it.
        after = cards[
            (cards["merchant_id"] == batch["merchant_id"])
            & (cards["week_start"] > last)
            & (cards["week_start"] < first + pd.Timedelta(weeks=12))
        ]
        assert len(after) >= 4, batch
        assert (after["grade_status"] == "graded").all(), batch
        assert after["grade"].isin(["C", "D"]).any(), (batch, after.to_dict("records"))
        assert not (after["grade"] == "A").any(), batch


def test_planted_effective_actions_never_no_change_or_worsened(default_sample):
    truth, warehouse = default_sample
    verdicts = _mart(
        warehouse, "select action_id, evaluation from marts.corrective_action_effectiveness"
    ).set_index("action_id")["evaluation"]
    effective = [a["action_id"] for a in truth["corrective_actions"] if a["effective"]]
    assert effective
    judged = verdicts.loc[effective]
    assert not judged.isin(["no_detectable_change", "worsened"]).any(), judged.to_dict()
    assert set(verdicts) <= {
        "effective",
        "worsened",
        "no_detectable_change",
        "insufficient_data",
        "pending",
    }


def test_recurrence_is_exactly_the_matured_planted_remedy_failures(default_sample):
    truth, warehouse = default_sample
    rows = _mart(
        warehouse,
        "select complaint_id, has_recurred, recurred_by_complaint_id, is_mature, is_in_rate "
        "from marts.complaint_recurrence",
    ).set_index("complaint_id")
    planted = {f["complaint_id"]: f["recurred_by"] for f in truth["remedy_failures"]}
    assert len(planted) >= 20
    matured = {a: b for a, b in planted.items() if a in rows.index and rows.at[a, "is_mature"]}
    assert len(matured) >= 0.5 * len(planted)
    recurred = rows[rows["has_recurred"] & rows["is_mature"]]
    assert dict(recurred["recurred_by_complaint_id"]) == matured
    (rate,) = _mart(
        warehouse,
        "select recurrence_rate from marts.recurrence_rates where group_type = 'platform'",
    )["recurrence_rate"]
    assert 0 < rate < 0.2


def test_slow_evidence_merchants_are_the_bottom_of_the_evidence_ranking(default_sample):
    truth, warehouse = default_sample
    ranking = _mart(
        warehouse,
        "select merchant_id, stage_rank, compliance_rate, n_measured, has_min_volume "
        "from marts.sla_merchant_ranking where stage = 'merchant_evidence'",
    )
    slow = set(truth["slow_evidence_merchants"])
    ranked = ranking[ranking["has_min_volume"]].sort_values("stage_rank")
    ranked_slow = slow & set(ranked["merchant_id"])
    assert ranked_slow, "some slow merchant reaches the minimum volume"
    assert set(ranked["merchant_id"].head(len(ranked_slow))) == ranked_slow
    assert ranked["stage_rank"].tolist() == list(range(1, len(ranked) + 1))
    assert ranking.loc[~ranking["has_min_volume"], "stage_rank"].isna().all()
