"""The planted patterns are really in the default data, checked with plain pandas."""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

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
