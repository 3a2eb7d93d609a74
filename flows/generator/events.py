"""Each complaint's life: a timeline of events with realistic delays, and its state at a moment.

The timeline is a matrix (complaint × step) of local seconds, -1 where the step never happens.
Steps are ordered so that along every complaint's path later steps happen later; a complaint's
state at any moment is therefore its last step at or before that moment.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from flows.generator.complaints import Complaints
from flows.generator.orders import HOUR

STEPS = (
    "received",
    "acknowledged",
    "info_requested",
    "info_received",
    "merchant_notified",
    "merchant_evidence_submitted",
    "lab_test_requested",
    "lab_test_completed",
    "classified",
    "remedy_proposed",
    "remedy_accepted",
    "remedy_executed",
    "closed",
    "reopened",
    "remedy_proposed",
    "remedy_accepted",
    "remedy_executed",
    "closed",
    "withdrawn",
)
ACTORS = np.array(
    [
        "buyer",
        "agent",
        "agent",
        "buyer",
        "system",
        "merchant",
        "agent",
        "lab",
        "agent",
        "merchant",
        "buyer",
        "system",
        "agent",
        "buyer",
        "merchant",
        "buyer",
        "system",
        "agent",
        "buyer",
    ]
)
STATUS_OF_STEP = np.array(
    [
        "open",
        "open",
        "investigating",
        "investigating",
        "awaiting_merchant",
        "investigating",
        "investigating",
        "investigating",
        "investigating",
        "investigating",
        "investigating",
        "resolved",
        "closed",
        "investigating",
        "investigating",
        "investigating",
        "resolved",
        "closed",
        "withdrawn",
    ]
)
NOTES: dict[int, list[str]] = {
    1: ["已受理，正在核实", "您好，已收到您的反馈", ""],
    2: ["请补充商品照片和包装照片", "请提供开箱视频", "请补充订单截图"],
    3: ["已上传图片", "已补充视频，请查看", ""],
    4: ["已通知商家在48小时内举证", ""],
    5: ["已提交出厂检验报告", "已提交发货前照片", "商家称已按标准检验", ""],
    6: ["送第三方检测", ""],
    7: ["检测结果：不合格", "检测结果：合格", "检测完成"],
    8: ["", "根据凭证判定"],
    9: ["", "商家同意处理"],
    12: ["", "处理完毕，结案", "买家确认结案"],
    13: ["买家不满意处理结果", "问题再次出现", ""],
    18: ["买家主动撤销", "已与商家协商解决", ""],
}
(
    RECEIVED,
    ACK,
    INFO_REQ,
    INFO_REC,
    NOTIFIED,
    EVIDENCE,
    LAB_REQ,
    LAB_DONE,
    CLASSIFIED,
    PROPOSED,
    ACCEPTED,
    EXECUTED,
    CLOSED,
    REOPENED,
    PROPOSED2,
    ACCEPTED2,
    EXECUTED2,
    CLOSED2,
    WITHDRAWN,
) = range(19)
NO_ACTION_REMEDIES = ("none", "rejected")
INFO_LAPSE_HOURS = 72  # an unanswered information request lapses after this long


def _hours(x: np.ndarray) -> np.ndarray:
    return (x * HOUR).astype(np.int64)


def timelines(
    rng: np.random.Generator, c: Complaints, slow_merchant: np.ndarray, as_of_s: int
) -> np.ndarray:
    """Step times (local seconds, -1 = never / not yet) for every complaint."""
    m = len(c)
    t = np.full((m, len(STEPS)), -1, dtype=np.int64)
    r = c.received
    t[:, RECEIVED] = r
    breach = rng.random((m, 4))
    ack = np.where(
        breach[:, 0] < 0.04, rng.uniform(2.1, 12, m), np.clip(rng.exponential(0.5, m), 0.02, 1.95)
    )
    t[:, ACK] = r + _hours(ack)
    prev = t[:, ACK].copy()
    info_req = prev + _hours(rng.uniform(0.2, 4, m))
    info_rec = info_req + _hours(np.clip(rng.lognormal(np.log(6), 0.8, m), 0.2, 72))
    answered = c.needs_info & ~c.info_unanswered
    t[:, INFO_REQ] = np.where(c.needs_info, info_req, -1)
    t[:, INFO_REC] = np.where(answered, info_rec, -1)
    # an unanswered request: the agent goes on without the buyer's answer after it lapses
    prev = np.where(answered, info_rec, prev)
    prev = np.where(c.needs_info & c.info_unanswered, info_req + INFO_LAPSE_HOURS * HOUR, prev)
    notify = np.where(
        breach[:, 1] < 0.06,
        rng.uniform(24.5, 80, m),
        np.clip(rng.lognormal(np.log(5), 0.7, m), 0.3, 23.5),
    )
    t[:, NOTIFIED] = np.maximum(prev + _hours(rng.uniform(0.1, 1, m)), r + _hours(notify))
    normal = np.where(
        breach[:, 2] < 0.08,
        rng.uniform(48.5, 120, m),
        np.clip(rng.lognormal(np.log(14), 0.6, m), 0.5, 47.5),
    )
    slow = np.clip(rng.lognormal(np.log(66), 0.3, m), 20, 240)
    t[:, EVIDENCE] = t[:, NOTIFIED] + _hours(np.where(slow_merchant, slow, normal))
    lab_req = t[:, EVIDENCE] + _hours(rng.uniform(1, 12, m))
    lab_done = lab_req + _hours(rng.uniform(48, 168, m))
    t[:, LAB_REQ] = np.where(c.needs_lab, lab_req, -1)
    t[:, LAB_DONE] = np.where(c.needs_lab, lab_done, -1)
    prev = np.where(c.needs_lab, lab_done, t[:, EVIDENCE])
    t[:, CLASSIFIED] = prev + _hours(rng.uniform(0.5, 12, m))

    acts = ~np.isin(c.remedy, NO_ACTION_REMEDIES)
    proposed = t[:, CLASSIFIED] + _hours(rng.uniform(0.2, 6, m))
    accepted = proposed + _hours(np.clip(rng.lognormal(np.log(8), 0.8, m), 0.1, 120))
    exec_h = np.select(
        [np.isin(c.remedy, ["partial_refund", "return_shipping_refund"]), c.remedy == "repair"],
        [rng.uniform(1, 24, m), rng.uniform(72, 200, m)],
        rng.uniform(24, 110, m),
    )
    executed = accepted + _hours(exec_h)
    t[:, PROPOSED] = np.where(acts, proposed, -1)
    # an imposed remedy is executed without the buyer's acceptance
    t[:, ACCEPTED] = np.where(acts & ~c.imposed, accepted, -1)
    t[:, EXECUTED] = np.where(acts, executed, -1)
    t[:, CLOSED] = np.where(
        acts,
        executed + _hours(rng.uniform(0.5, 48, m)),
        t[:, CLASSIFIED] + _hours(rng.uniform(1, 24, m)),
    )
    reopen = t[:, CLOSED] + _hours(rng.uniform(24, 480, m))
    p2 = reopen + _hours(rng.uniform(2, 24, m))
    a2 = p2 + _hours(rng.uniform(2, 24, m))
    e2 = a2 + _hours(rng.uniform(12, 72, m))
    c2 = np.where(acts, e2 + _hours(rng.uniform(1, 24, m)), reopen + _hours(rng.uniform(24, 96, m)))
    t[:, REOPENED] = np.where(c.reopens, reopen, -1)
    for step, values in ((PROPOSED2, p2), (ACCEPTED2, a2), (EXECUTED2, e2)):
        t[:, step] = np.where(c.reopens & acts, values, -1)
    t[:, ACCEPTED2] = np.where(c.imposed, -1, t[:, ACCEPTED2])
    t[:, CLOSED2] = np.where(c.reopens, c2, -1)

    withdrawn = c.withdraw_stage >= 0
    if withdrawn.any():
        rows = np.where(withdrawn)[0]
        stage = c.withdraw_stage[rows]
        at = t[rows, stage] + _hours(rng.uniform(0.5, 48, len(rows)))
        later = np.arange(len(STEPS))[None, :] > stage[:, None]
        sub = t[rows]
        sub[later] = -1
        sub[:, WITHDRAWN] = at
        t[rows] = sub
    t[t > as_of_s] = -1
    return t


@dataclass
class State:
    """What a complaints export taken at a moment shows for each complaint."""

    visible: np.ndarray  # received at or before the moment
    last_step: np.ndarray
    status: np.ndarray
    updated: np.ndarray
    classified: np.ndarray
    remedy_known: np.ndarray
    executed: np.ndarray
    closed: np.ndarray


def state_at(t: np.ndarray, c: Complaints, moment: int) -> State:
    """The state each complaint had at ``moment`` (its last step at or before it)."""
    present = (t >= 0) & (t <= moment)
    last = np.where(present.any(axis=1), len(STEPS) - 1 - np.argmax(present[:, ::-1], axis=1), -1)
    rows = np.arange(len(t))
    updated = np.where(last >= 0, t[rows, np.maximum(last, 0)], -1)
    no_action = np.isin(c.remedy, NO_ACTION_REMEDIES)
    return State(
        visible=last >= 0,
        last_step=last,
        status=STATUS_OF_STEP[np.maximum(last, 0)],
        updated=updated,
        classified=present[:, CLASSIFIED],
        remedy_known=present[:, PROPOSED] | (no_action & present[:, CLOSED]),
        executed=present[:, EXECUTED],
        closed=np.isin(last, [CLOSED, CLOSED2]),
    )


def event_rows(t: np.ndarray, c: Complaints, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Long format: one row per event that happened, per complaint in time order.

    Text columns come as codes into small name tables so large runs never build Python strings.
    """
    rows, steps = np.nonzero(t >= 0)
    actor = np.searchsorted(ACTOR_NAMES, ACTORS[steps])
    auto_ack = (steps == ACK) & np.isin(c.channel[rows], ["app", "web_form"])
    actor[auto_ack] = int(np.searchsorted(ACTOR_NAMES, "system"))
    note = np.zeros(len(steps), dtype=np.int64)  # 0 = no note
    pick = rng.random(len(steps))
    for step, (first, count) in NOTE_SLOTS.items():
        mask = steps == step
        note[mask] = first + (pick[mask] * count).astype(np.int64)
    return {
        "complaint": rows,
        "event_code": steps,
        "event_names": np.asarray(STEPS, dtype=object),
        "occurred": t[rows, steps],
        "actor_code": actor,
        "actor_names": ACTOR_NAMES,
        "note_code": note,
        "note_names": NOTE_NAMES,
    }


ACTOR_NAMES = np.array(sorted(set(ACTORS)), dtype=object)
NOTE_NAMES = np.array(
    [None] + [n or None for options in NOTES.values() for n in options], dtype=object
)
NOTE_SLOTS: dict[int, tuple[int, int]] = {}
_offset = 1
for _step, _options in NOTES.items():
    NOTE_SLOTS[_step] = (_offset, len(_options))
    _offset += len(_options)
