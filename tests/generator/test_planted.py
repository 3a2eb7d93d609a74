"""The planted patterns are really in the default data, checked with plain pandas."""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd
import pytest

from tests.generator.exports import parse_series, read_entity

DEFECTS = {"quality_defect", "cosmetic_flaw", "counterfeit"}


def _latest_complaints(landing) -> pd.DataFrame:
    c = read_entity(landing, "complaints")
    c["u"] = parse_series(c.updated_at)
    return c.dropna(subset=["u"]).sort_values("u").groupby("complaint_id").last().reset_index()


@functools.cache
def _order_lines(landing) -> pd.DataFrame:
    o = read_entity(landing, "orders")
    o["t"] = parse_series(o.ordered_at)
    o["week"] = o.t.dt.to_period("W-SUN").dt.start_time
    return o


def _with_defects(landing) -> pd.DataFrame:
    return _with_defects_cached(landing).copy()


@functools.cache
def _with_defects_cached(landing) -> pd.DataFrame:
    c = _latest_complaints(landing)
    confirmed = c[
        (c.status != "withdrawn") & c.issue_type.isin(DEFECTS) & (c.responsibility == "merchant")
    ]
    o = _order_lines(landing)
    index = pd.MultiIndex.from_frame(confirmed[["order_id", "sku_id"]])
    o["defect"] = pd.MultiIndex.from_frame(o[["order_id", "sku_id"]]).isin(index)
    return o


def _weekly(o: pd.DataFrame, truth: dict) -> pd.DataFrame:
    g = o.groupby(["sku_id", "week"]).agg(n=("defect", "size"), d=("defect", "sum")).reset_index()
    export = pd.Timestamp(truth["export_moment"])
    g = g[g.week + pd.Timedelta(days=37) <= export]  # mature weeks only
    bad = {(b["sku_id"], pd.Timestamp(w)) for b in truth["bad_batches"] for w in b["order_weeks"]}
    g["is_bad"] = [(s, w) in bad for s, w in zip(g.sku_id, g.week, strict=True)]
    base = g[~g.is_bad].groupby("sku_id").agg(N=("n", "sum"), D=("d", "sum"))
    g = g.join(base, on="sku_id")
    g["p"] = g.D / g.N
    g["ucl"] = g.p + 3 * np.sqrt(g.p * (1 - g.p) / g.n)
    return g


def test_bad_batches_stand_out_on_a_p_chart(default_sample):
    landing, truth = default_sample
    assert len(truth["bad_batches"]) >= 5
    g = _weekly(_with_defects(landing), truth)
    for batch in truth["bad_batches"]:
        rows = g[(g.sku_id == batch["sku_id"])]
        in_batch, normal = rows[rows.is_bad], rows[~rows.is_bad]
        assert len(in_batch) == len(batch["order_weeks"])
        rate_in = in_batch.d.sum() / in_batch.n.sum()
        rate_out = normal.d.sum() / normal.n.sum()
        assert rate_in > 3 * rate_out, batch
        assert (in_batch.d / in_batch.n > in_batch.ucl).mean() >= 0.5, batch
    # a weekly 3-sigma p-chart on SKU-weeks with enough volume finds them, with few false alarms
    signals = g[(g.n >= 200) & (g.d / g.n > g.ucl)]
    recall = signals.is_bad.sum() / g.is_bad.sum()
    precision = signals.is_bad.mean()
    assert recall >= 0.9 and precision >= 0.8, (recall, precision)


def test_promotions_raise_volume_not_defect_rate(default_sample):
    landing, truth = default_sample
    o = _with_defects(landing)
    per_day = o.groupby(o.t.dt.date).size()
    assert per_day[pd.Timestamp("2026-11-11").date()] > 4 * per_day.median()
    assert per_day[pd.Timestamp("2026-06-18").date()] > 3 * per_day.median()
    bad = {b["sku_id"] for b in truth["bad_batches"]} | {
        a["sku_id"] for a in truth["corrective_actions"]
    }
    o = o[~o.sku_id.isin(bad) & (o.t < pd.Timestamp("2026-10-01"))]
    promo = o.t.dt.strftime("%m-%d").isin(["06-18", "06-17", "12-12", "11-11", "11-10"])
    rate_promo, rate_else = o.defect[promo].mean(), o.defect[~promo].mean()
    assert 0.6 < rate_promo / rate_else < 1.5


def test_corrective_actions_effect(default_sample):
    landing, truth = default_sample
    o = _with_defects(landing)
    skus = read_entity(landing, "skus").set_index("sku_id").merchant_id
    o["merchant"] = o.sku_id.map(skus)
    export = pd.Timestamp(truth["export_moment"])
    ratios = {True: [0, 0, 0, 0], False: [0, 0, 0, 0]}
    for action in truth["corrective_actions"]:
        if action["completed_at"] is None:
            continue
        opened, done = pd.Timestamp(action["opened_at"]), pd.Timestamp(action["completed_at"])
        if done + pd.Timedelta(days=120) > export:
            continue
        scope = (
            o.sku_id == action["sku_id"]
            if action["sku_id"]
            else o.merchant == action["merchant_id"]
        )
        before = o[scope & (o.t >= opened - pd.Timedelta(days=90)) & (o.t < opened)]
        after = o[scope & (o.t >= done) & (o.t < done + pd.Timedelta(days=90))]
        acc = ratios[action["effective"]]
        acc[0] += before.defect.sum()
        acc[1] += len(before)
        acc[2] += after.defect.sum()
        acc[3] += len(after)
    eff, ineff = ratios[True], ratios[False]
    assert eff[1] and ineff[1], "both kinds of action must be mature in the default data"
    assert (eff[2] / eff[3]) / (eff[0] / eff[1]) < 0.6
    assert (ineff[2] / ineff[3]) / (ineff[0] / ineff[1]) > 0.75


def test_slow_merchants_submit_evidence_late(default_sample):
    landing, truth = default_sample
    events = read_entity(landing, "complaint_events")
    events["t"] = parse_series(events.occurred_at)
    c = _latest_complaints(landing).set_index("complaint_id")
    skus = read_entity(landing, "skus").set_index("sku_id").merchant_id
    pivot = events.pivot_table(
        index="complaint_id", columns="event_type", values="t", aggfunc="first"
    )
    delay = (pivot.merchant_evidence_submitted - pivot.merchant_notified).dt.total_seconds() / 3600
    merchant = c.sku_id.map(skus).reindex(delay.index)
    slow = merchant.isin(truth["slow_evidence_merchants"])
    assert slow.any() and (~slow).any()
    assert delay[slow].median() > 2 * delay[~slow].median()
    assert delay[~slow].median() < 48 and delay[slow].median() > 48
    ack = (pivot.acknowledged - pivot.received).dt.total_seconds() / 3600
    assert 0.9 < (ack <= 2).mean() < 1.0  # mostly within the SLA, with a tail of breaches


def test_exports_repeat_complaints_with_newer_state(default_sample):
    landing, truth = default_sample
    c = read_entity(landing, "complaints")
    c["u"] = parse_series(c.updated_at)
    c = c.dropna(subset=["u"])
    first = c[c._file.str.startswith("complaints_export1")]
    second = c[c._file.str.startswith("complaints_export2")]
    moment1 = pd.Timestamp(truth["export1_moment"])
    assert (first.u <= moment1).all()
    assert (second.u > moment1).all()
    repeated = set(first.complaint_id) & set(second.complaint_id)
    assert len(repeated) == truth["repeated_complaints"] > 0
    statuses = c[c.complaint_id.isin(repeated)].groupby("complaint_id").status.nunique()
    assert (statuses > 1).mean() > 0.5
    open_at_end = second[~second.status.isin(["closed", "withdrawn"])]
    assert len(open_at_end) > 0


def test_phone_numbers_in_descriptions_are_counted(default_sample):
    landing, truth = default_sample
    c = read_entity(landing, "complaints")
    phone = re.compile(r"1[3-9]\d{9}")
    with_phone = c.description.fillna("").map(lambda d: bool(phone.search(d)))
    assert with_phone.sum() == truth["phone_description_rows"] > 0
    assert c.buyer_phone.dropna().str.fullmatch(r"1[3-9]\d0000\d{4}").all()


def test_responsibility_follows_issue(default_sample):
    landing, _ = default_sample
    c = _latest_complaints(landing).dropna(subset=["issue_type", "responsibility"])
    share = c.groupby("issue_type").responsibility.agg(
        lambda r: r.value_counts(normalize=True).idxmax()
    )
    assert share["transport_damage"] == "logistics"
    assert share["misuse"] == "buyer" and share["misunderstanding"] == "buyer"
    assert share["quality_defect"] == share["counterfeit"] == share["cosmetic_flaw"] == "merchant"


def test_life_cycles_follow_the_sla_with_a_tail(default_sample):
    landing, _ = default_sample
    events = read_entity(landing, "complaint_events")
    events["t"] = parse_series(events.occurred_at)
    kinds = set(events.event_type)
    for kind in (
        "info_requested",
        "lab_test_completed",
        "reopened",
        "withdrawn",
        "remedy_executed",
    ):
        assert kind in kinds
    first = events.groupby(["complaint_id", "event_type"]).t.min().unstack()
    hours = lambda a, b: (first[b] - first[a]).dt.total_seconds().dropna() / 3600  # noqa: E731
    notified = hours("received", "merchant_notified")
    assert 0.85 < (notified <= 24).mean() < 0.99
    resolved = hours("received", "remedy_executed")
    assert 0.6 < (resolved <= 168).mean() < 0.98
    closes = events[events.event_type == "closed"].groupby("complaint_id").size()
    reopens = events[events.event_type == "reopened"].groupby("complaint_id").size()
    assert (closes.reindex(reopens.index).fillna(0) >= 1).all()
    assert (closes > 1).sum() > 0


def test_truth_lists_the_periods_holidays_and_makeup_days(default_sample):
    """The default period (Nov 2025 to Nov 2026) holds National Day, Spring Festival and their
    调休 Saturdays; ground truth lists them from the calendar library."""
    import chinese_calendar

    _, truth = default_sample
    calendar = truth["working_calendar"]
    holidays = {entry.split()[0] for entry in calendar["holidays"]}
    makeups = {entry.split()[0] for entry in calendar["makeup_workdays"]}
    assert {"2026-10-01", "2026-02-17"} <= holidays
    assert {"2026-10-10", "2026-02-14"} <= makeups
    for day in holidays:
        assert not chinese_calendar.is_workday(pd.Timestamp(day).date())
    for day in makeups:
        stamp = pd.Timestamp(day)
        assert stamp.weekday() >= 5 and chinese_calendar.is_workday(stamp.date())
    assert truth["satisfaction_drop_when_resolution_breached"] > 0


@functools.cache
def _events(landing) -> pd.DataFrame:
    events = read_entity(landing, "complaint_events")
    events["t"] = parse_series(events.occurred_at)
    return events


def _imposed(landing) -> pd.Series:
    """Closed complaints whose remedy was proposed and never accepted afterwards."""
    events = _events(landing)
    last = events.groupby(["complaint_id", "event_type"]).t.max().unstack()
    accepted = last["remedy_accepted"].notna() & (last["remedy_accepted"] > last["remedy_proposed"])
    return last["remedy_proposed"].notna() & ~accepted


def test_the_weaker_remedy_merchant_imposes_partial_refunds(default_sample):
    """The planted merchant closes far more complaints with a partial refund the buyer never
    accepted than any other merchant; elsewhere a proposed remedy is always accepted."""
    landing, truth = default_sample
    planted = truth["weaker_remedy_merchant"]
    c = _latest_complaints(landing)
    c = c[c.status == "closed"].copy()
    # exports sometimes omit the merchant: take it from the SKU master, as the ingest does
    skus = read_entity(landing, "skus").set_index("sku_id").merchant_id
    c["merchant_id"] = c.merchant_id.fillna(c.sku_id.map(skus))
    c["imposed"] = c.complaint_id.map(_imposed(landing)).fillna(False).astype(bool)
    c["imposed_partial"] = c.imposed & (c.remedy == "partial_refund")
    share = c.groupby("merchant_id").imposed_partial.mean()
    volume = c.groupby("merchant_id").size()
    assert share.idxmax() == planted["merchant_id"]
    assert share[planted["merchant_id"]] > 0.3
    others = c[(c.merchant_id != planted["merchant_id"]) & c.imposed]
    counterfeit = truth["under_compensated_counterfeit"]["complaint_id"]
    assert counterfeit in set(others.complaint_id)
    # the rest lost their remedy_accepted row to the generator's dirt (broken type or time)
    dirty_acceptances = {
        d["key"]["complaint_id"]
        for d in truth["dirty_rows"]
        if d["entity"] == "complaint_events" and d["key"]["event_type"] == "remedy_accepted"
    }
    assert set(others.complaint_id) - {counterfeit} <= dirty_acceptances
    assert volume[planted["merchant_id"]] >= volume.median()
    assert planted["imposed_partial_refunds"] >= c.imposed_partial.sum() > 100


def test_the_under_compensated_counterfeit_is_below_three_times_and_the_floor(default_sample):
    landing, truth = default_sample
    case = truth["under_compensated_counterfeit"]
    c = _latest_complaints(landing).set_index("complaint_id").loc[case["complaint_id"]]
    o = _order_lines(landing)
    paid = float(o[(o.order_id == c.order_id) & (o.sku_id == c.sku_id)].paid_amount.iloc[0])
    assert (c.issue_type, c.responsibility, c.status, c.remedy) == (
        "counterfeit",
        "merchant",
        "closed",
        "return_refund",
    )
    compensation = float(c.compensation_amount)
    required = max(3 * paid, 500.0)
    assert compensation < required and compensation < 3 * paid and compensation < 500
    assert case["shortfall"] == pytest.approx(required - compensation)
    assert bool(_imposed(landing)[case["complaint_id"]])


def test_lab_tests_go_to_the_bad_batches(default_sample):
    """Defect complaints on a planted bad batch's SKU mostly get a lab test; elsewhere few do.
    Every lab test requested and reached by the export is completed after it is requested."""
    landing, truth = default_sample
    events = _events(landing)
    c = _latest_complaints(landing)
    c = c[c.issue_type.isin(DEFECTS)]
    lab = set(events.complaint_id[events.event_type == "lab_test_requested"])
    batch_skus = set(truth["lab_tests_on_bad_batches"])
    assert batch_skus == {b["sku_id"] for b in truth["bad_batches"]}
    assert all(n > 0 for n in truth["lab_tests_on_bad_batches"].values())
    # batch SKUs also sell outside their batch weeks, so the share there is diluted
    on_batch = c[c.sku_id.isin(batch_skus)].complaint_id.isin(lab).mean()
    elsewhere = c[~c.sku_id.isin(batch_skus)].complaint_id.isin(lab).mean()
    assert on_batch > 2.5 * elsewhere and 0.05 < elsewhere < 0.2
    first = events.groupby(["complaint_id", "event_type"]).t.min().unstack()
    done = first.dropna(subset=["lab_test_requested", "lab_test_completed"])
    assert (done.lab_test_completed > done.lab_test_requested).all()


def test_some_information_requests_are_never_answered(default_sample):
    landing, _ = default_sample
    events = _events(landing)
    kinds = events.groupby("complaint_id").event_type.agg(set)
    asked = kinds[kinds.map(lambda k: "info_requested" in k)]
    answered = asked.map(lambda k: "info_received" in k)
    assert 0.05 < 1 - answered.mean() < 0.25
