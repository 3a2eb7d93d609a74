"""The marts on generated data: dbt build passes, key numbers match an independent pandas reading
of the landing files, and the SKU alerts find the planted bad batches."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from flows.config import Settings
from flows.warehouse import read_only
from tests.models.reference_metrics import Reference
from tests.models.samples import ZONES, _mart


@pytest.fixture(scope="session", params=ZONES)
def small_generated(request, generated_in):
    """A small clean generated sample, ingested and built once per platform zone."""
    return generated_in(request.param)


@pytest.fixture(scope="session")
def reference(small_generated) -> Reference:
    landing, warehouse, _ = small_generated
    with read_only(warehouse) as con:
        (zone,) = con.execute("select timezone from marts.build_info").fetchone()
    settings = Settings(timezone=zone)
    hours = {stage: targets["app"] for stage, targets in settings.sla_targets_hours.items()}
    return Reference(landing, zone, hours)


def test_dbt_build_passes_with_all_tests(small_generated):
    _, _, result = small_generated
    assert result.success and not result.failed_nodes
    kinds = [node.resource_type for node in result.nodes]
    assert kinds.count("test") > 100
    # A production build leaves the unit tests to the test suite (hand_build runs them).
    assert "unit_test" not in kinds


def test_as_of_is_the_export_moment(small_generated, reference):
    _, warehouse, _ = small_generated
    as_of = _mart(warehouse, "select as_of from marts.build_info")["as_of"].iloc[0]
    assert pd.Timestamp(as_of) == reference.as_of


def test_merchant_weekly_rates_match_pandas(small_generated, reference):
    _, warehouse, _ = small_generated
    mart = _mart(
        warehouse,
        "select merchant_id, order_week, order_lines, complaint_lines, defect_lines, "
        "complaint_rate, defect_rate from marts.merchant_defect_rates_weekly",
    )
    expected = reference.merchant_weekly()
    assert expected["defect_lines"].sum() > 0
    merged = expected.merge(
        mart.assign(order_week=mart["order_week"].dt.date),
        on=["merchant_id", "order_week"],
        how="outer",
        suffixes=("", "_mart"),
        indicator=True,
    )
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"]
    for col in ("order_lines", "complaint_lines", "defect_lines"):
        assert (merged[col] == merged[f"{col}_mart"]).all(), col
    for col in ("complaint_rate", "defect_rate"):
        assert (merged[col] - merged[f"{col}_mart"]).abs().max() < 1e-9, col


def test_sla_status_counts_match_pandas(small_generated, reference):
    _, warehouse, _ = small_generated
    expected = (
        reference.sla_statuses()
        .groupby(["received_week", "channel", "stage", "status"])
        .size()
        .rename("n")
        .reset_index()
    )
    mart = _mart(
        warehouse,
        "unpivot (select received_week, channel, stage, n_met as met, n_breached as breached, "
        "n_open_overdue as open_overdue, n_open_not_due as open_not_due, "
        "n_not_started as not_started, n_not_applicable as not_applicable, "
        "n_not_observed as not_observed "
        "from marts.sla_compliance_weekly) on met, breached, open_overdue, open_not_due, "
        "not_started, not_applicable, not_observed into name status value n",
    )
    mart = mart[mart["n"] > 0].assign(received_week=mart["received_week"].dt.date)
    key = ["received_week", "channel", "stage", "status"]
    got = mart.set_index(key)["n"].sort_index()
    want = expected.set_index(key)["n"].sort_index()
    assert len(want) > 20 and set(want.index.get_level_values("status")) >= {"met", "breached"}
    pd.testing.assert_series_equal(got, want, check_dtype=False)


def test_sla_late_stages_are_the_late_statuses(small_generated, reference):
    _, warehouse, _ = small_generated
    statuses = reference.sla_statuses()
    late = statuses[statuses["status"].isin(["breached", "open_overdue"])]
    want = sorted(late[["complaint_id", "stage", "status"]].itertuples(index=False, name=None))
    mart = _mart(warehouse, "select complaint_id, stage, sla_status from marts.sla_late_stages")
    got = sorted(mart.itertuples(index=False, name=None))
    assert len(want) > 20 and {status for *_, status in want} == {"breached", "open_overdue"}
    assert got == want
    # The rows per week, channel and stage are the counts the compliance mart holds.
    (unreconciled,) = _mart(
        warehouse,
        """select count(*) from marts.sla_compliance_weekly as w
           full join (select received_week, channel, stage, count(*) as n
                      from marts.sla_late_stages group by all) as l
               using (received_week, channel, stage)
           where coalesce(w.n_breached + w.n_open_overdue, 0) <> coalesce(l.n, 0)""",
    ).iloc[0]
    assert unreconciled == 0


def test_recurrence_flags_match_pandas(small_generated, reference):
    _, warehouse, _ = small_generated
    expected = reference.recurrence().set_index("complaint_id").sort_index()
    mart = (
        _mart(
            warehouse,
            "select complaint_id, has_recurred, recurred_by_complaint_id as recurred_by, "
            "is_mature, is_in_rate from marts.complaint_recurrence",
        )
        .set_index("complaint_id")
        .sort_index()
    )
    assert expected["has_recurred"].any()
    assert list(mart.index) == list(expected.index)
    assert (mart["has_recurred"] == expected["has_recurred"]).all()
    assert (mart["is_mature"] == expected["is_mature"]).all()
    assert (mart["is_in_rate"] == expected["is_in_rate"]).all()
    assert (mart["recurred_by"].fillna("") == expected["recurred_by"].fillna("")).all()


def test_corrective_action_counts_and_verdicts_match_pandas(small_generated, reference):
    _, warehouse, _ = small_generated
    expected = reference.action_counts().set_index("action_id").sort_index()
    cols = list(expected.columns)
    mart = (
        _mart(
            warehouse,
            f"select action_id, {', '.join(cols)} from marts.corrective_action_effectiveness",
        )
        .set_index("action_id")
        .sort_index()
    )
    assert len(expected) >= 1
    pd.testing.assert_frame_equal(mart[cols], expected, check_dtype=False)


def test_alerts_find_the_planted_bad_batches(default_sample):
    """Precision at the SKU-week level >= 80 %; recall >= 90 % at the SKU-week level over the
    planted weeks that are mature, and every planted batch found at least once."""
    truth, warehouse = default_sample
    planted = {(b["sku_id"], w) for b in truth["bad_batches"] for w in b["order_weeks"]}
    alerts = _mart(
        warehouse, "select sku_id, order_week::varchar as week from marts.sku_defect_alerts"
    )
    mature = _mart(
        warehouse,
        "select sku_id, order_week::varchar as week from marts.sku_control_chart where is_mature",
    )
    alerted = set(zip(alerts["sku_id"], alerts["week"], strict=True))
    mature_planted = planted & set(zip(mature["sku_id"], mature["week"], strict=True))
    assert planted and mature_planted
    precision = len(alerted & planted) / len(alerted)
    recall = len(alerted & mature_planted) / len(mature_planted)
    batches_found = sum(
        any((b["sku_id"], w) in alerted for w in b["order_weeks"]) for b in truth["bad_batches"]
    )
    assert precision >= 0.8, (precision, recall)
    assert recall >= 0.9, (precision, recall)
    assert batches_found == len(truth["bad_batches"])


def test_the_planted_term_burst_emerges_in_its_week_and_not_before(default_sample):
    """The burst's term is an emerging term on its SKU in the first week its planted mentions
    reach the minimum count, and in no week before the first planted mention."""
    truth, warehouse = default_sample
    (burst,) = truth["term_bursts"]
    planted = burst["planted_by_received_week"]
    first_planted = min(planted)
    its_week = min(week for week, n in planted.items() if n >= Settings().emerging_min_count)
    with read_only(warehouse) as con:
        emerging = con.execute(
            "select received_week::varchar as week, p_value, expected_complaints, n_complaints "
            "from marts.emerging_terms where scope = 'sku' and scope_id = ? and term = ?",
            [burst["sku_id"], burst["term"]],
        ).df()
    weeks = set(emerging["week"])
    assert its_week in weeks, (its_week, emerging)
    assert not {week for week in weeks if week < first_planted}, emerging
    # the test the mart applied is the exact one-sided Poisson tail
    from scipy.stats import poisson

    expected = poisson.sf(emerging["n_complaints"] - 1, emerging["expected_complaints"])
    assert (abs(emerging["p_value"] - expected) <= 1e-9 + 1e-6 * expected).all()


def test_emerging_terms_are_few_and_their_p_values_exact(default_sample):
    """Every emerging row passes the configured test; no more than a few per week overall."""
    from scipy.stats import poisson

    _, warehouse = default_sample
    settings = Settings()
    rows = _mart(
        warehouse,
        "select n_complaints, expected_complaints, p_value, baseline_weeks, received_week "
        "from marts.emerging_terms",
    )
    assert len(rows) > 0
    expected = poisson.sf(rows["n_complaints"] - 1, rows["expected_complaints"])
    assert ((rows["p_value"] - expected).abs() <= 1e-9 + 1e-6 * expected).all()
    assert (rows["p_value"] < settings.emerging_p_value).all()
    assert (rows["n_complaints"] >= settings.emerging_min_count).all()
    assert (rows["baseline_weeks"] >= settings.emerging_min_baseline_weeks).all()
    assert len(rows) / rows["received_week"].nunique() < 6


def test_order_weeks_near_local_midnight_and_dst(small_generated, reference):
    """Every order line's week is the ISO week of its local date in the platform zone, checked
    against zoneinfo; the sample holds lines in the hour either side of a Sunday/Monday midnight
    and, in Berlin, lines right after midnight of the first week in summer time (a fixed offset
    would put them a week early)."""
    _, warehouse, _ = small_generated
    mart = _mart(
        warehouse,
        "select order_id, sku_id, ordered_at, order_week from staging.stg_raw__orders",
    )
    lines = reference.orders[["order_id", "sku_id", "ordered_at", "order_week"]]
    merged = lines.merge(mart, on=["order_id", "sku_id"], suffixes=("", "_mart"), validate="1:1")
    assert len(merged) == len(lines)
    assert (merged["order_week"] == merged["order_week_mart"].dt.date).all()
    local = merged["ordered_at"].dt.tz_convert(reference.tz).dt.tz_localize(None)
    minutes = local.dt.hour * 60 + local.dt.minute
    before = (local.dt.weekday == 6) & (minutes >= 23 * 60)
    after = (local.dt.weekday == 0) & (minutes < 60)
    assert before.sum() > 5 and after.sum() > 5
    if reference.tz == "Europe/Berlin":
        summer_monday = local.dt.normalize() == pd.Timestamp("2026-03-30")
        assert (summer_monday & after).sum() > 0
        assert (merged.loc[summer_monday, "order_week"] == pd.Timestamp("2026-03-30").date()).all()


def test_planted_patterns_are_the_same_in_every_zone(generated_in):
    """The same local data read in three zones: the same weekly rates, the same complaints per
    received week, the slow-evidence merchant worst at merchant evidence in each."""
    marts = {}
    for zone in ZONES:
        landing, warehouse, result = generated_in(zone)
        assert result.success
        truth = json.loads(landing.parent.joinpath("truth.json").read_text())
        rates = _mart(
            warehouse,
            "select merchant_id, order_week, order_lines, complaint_lines, defect_lines "
            "from marts.merchant_defect_rates_weekly order by all",
        )
        received = _mart(
            warehouse,
            "select received_week, count(*) as n from marts.complaints group by all order by all",
        )
        evidence = _mart(
            warehouse,
            "select merchant_id, avg((merchant_evidence_status = 'met')::int) as met "
            "from marts.complaints where merchant_evidence_status in ('met', 'breached') "
            "group by all order by met, merchant_id",
        )
        assert evidence["merchant_id"].iloc[0] in truth["slow_evidence_merchants"], zone
        marts[zone] = (rates, received)
    first = marts[ZONES[0]]
    for zone in ZONES[1:]:
        pd.testing.assert_frame_equal(marts[zone][0], first[0], obj=f"weekly rates {zone}")
        pd.testing.assert_frame_equal(marts[zone][1], first[1], obj=f"received weeks {zone}")


def test_satisfaction_drop_when_the_resolution_deadline_is_breached(small_generated, reference):
    """The generator lowers satisfaction when the resolution deadline is breached: the mart's
    difference equals a pandas computation and its interval excludes 0."""
    _, warehouse, _ = small_generated
    statuses = reference.sla_statuses()
    resolution = statuses[statuses["stage"] == "resolution"].set_index("complaint_id")["status"]
    surveyed = reference.complaints[
        reference.complaints["counted"] & reference.complaints["satisfaction"].notna()
    ].assign(status=lambda f: f["complaint_id"].map(resolution))
    surveyed = surveyed[surveyed["status"].isin(["met", "breached"])]
    scores = {k: g["satisfaction"].astype(float) for k, g in surveyed.groupby("status")}
    met, late = scores["met"], scores["breached"]
    difference = late.mean() - met.mean()
    se = (late.var(ddof=1) / len(late) + met.var(ddof=1) / len(met)) ** 0.5
    row = _mart(
        warehouse,
        "select n_met, n_breached, difference, difference_ci_low, difference_ci_high "
        "from marts.satisfaction_sla_effect where channel = 'all'",
    ).iloc[0]
    assert (row["n_met"], row["n_breached"]) == (len(met), len(late))
    assert row["difference"] == pytest.approx(difference, abs=1e-9)
    assert row["difference_ci_low"] == pytest.approx(difference - 1.959963984540054 * se, abs=1e-9)
    assert row["difference_ci_high"] < 0  # the planted drop: the interval excludes 0
