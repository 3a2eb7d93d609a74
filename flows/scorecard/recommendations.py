"""Concrete recommended actions, derived from a card's mart numbers by documented rules.

Each rule has an id (shown on the card and in the workbook), a priority (1 = act today) and a
threshold from ``flows/config.py``. docs/scorecards.md lists the rules; keep the two in step.

- ``sku-defects``: a SKU whose defect rate over the last ``reco_sku_window_weeks`` order weeks is
  ≥ ``reco_sku_defect_ratio`` × the category median, over ≥ ``reco_sku_min_defects`` confirmed
  defects → open a corrective action (or follow up the one already open on that SKU).
- ``overdue``: complaints open and past a stage deadline at data time → chase them today.
- ``sla-<stage>``: a stage's compliance < ``reco_sla_target_rate`` over ≥ ``reco_sla_min_measured``
  measured complaints → the stage's remedy.
- ``grade-d``: grade D → quality review with the merchant.
- ``recurrence``: a buyer complained again about the same SKU and defect issue type (quality
  defect, cosmetic flaw, counterfeit) after the complaint was closed → the remedy did not fix it.

Each finding is one line: at most ``MAX_IDS`` complaint ids, then "and N more" (the workbook
lists them all); no ratio against a zero category median.
- ``action-escalate``: a corrective action judged ``no_detectable_change`` (the test could have
  seen a halving and did not) or ``worsened`` → escalate; never on ``insufficient_data``.
- ``rising``: defect rate up ≥ ``reco_rising_defect_rate_change`` on last week and a positive
  4-week trend → look at the newest batches before it shows in the grade.
"""

from __future__ import annotations

from collections import defaultdict

from flows import formatting as fmt
from flows.config import Settings
from flows.scorecard.cards import MerchantCard, Recommendation
from flows.scorecard.labels import Labels
from flows.scorecard.phone_mask import mask_phones

_OPEN_EVALUATIONS = ("pending",)
_ESCALATE_VERDICTS = ("no_detectable_change", "worsened")
MAX_IDS = 3

_TEXT = {
    "en": {
        "sku-defects": (
            "{sku} {name}: defect rate {rate} over {weeks} weeks, {ratio}, {defects} confirmed "
            "defects — open a corrective action (root cause, then supplier or process fix)."
        ),
        "sku-defects-followup": (
            "{sku} {name}: defect rate {rate} over {weeks} weeks, {ratio}, {defects} confirmed "
            "defects — action {action} ({action_type}) is {evaluation}: check it targets them."
        ),
        "ratio": "{ratio} the category median {median}",
        "zero-median": "category median is 0",
        "more": " and {n} more",
        "overdue": (
            "{n} complaint(s) past their deadline (longest {hours} h: {ids}) — chase them today."
        ),
        "sla-acknowledge": (
            "Acknowledgement on time {rate} < {target} target ({met}/{measured}) — check the "
            "service desk's staffing and auto-acknowledgement for this merchant's channels."
        ),
        "sla-merchant_notified": (
            "Merchant notified on time {rate} < {target} target ({met}/{measured}) — notify the "
            "merchant at intake instead of after triage."
        ),
        "sla-merchant_evidence": (
            "Merchant evidence on time {rate} < {target} target ({met}/{measured}) — remind the "
            "merchant of the evidence deadline and issue a merchant warning if it repeats."
        ),
        "sla-resolution": (
            "Resolution on time {rate} < {target} target ({met}/{measured}) — review the open "
            "cases with the merchant and agree remedies faster."
        ),
        "grade-d": (
            "Grade D (defect rate {rate} in {window}, category median {median}) — schedule a "
            "quality review with the merchant and consider a merchant warning."
        ),
        "recurrence": (
            "{sku} {name}: {n} buyer(s) complained again of {issue} after closure ({ids}) — "
            "the remedy did not fix it; review repairs and replacement stock."
        ),
        "action-escalate": (
            "Action {action} ({action_type}) {evaluation}: {before} → {after}, change {change} "
            "(95 % {low} to {high}), power {power} — escalate to a stronger measure."
        ),
        "rising": (
            "Defect rate up {change} on last week and rising over 4 weeks — inspect the newest "
            "batches before it shows in the grade."
        ),
        "immature": " (includes immature weeks: can still rise)",
    },
    "zh": {
        "sku-defects": (
            "{sku} {name}：近 {weeks} 周缺陷率 {rate}，{ratio}，{defects} 个确认缺陷——"
            "请发起整改（查明根因，更换供应商或改进工艺）。"
        ),
        "sku-defects-followup": (
            "{sku} {name}：近 {weeks} 周缺陷率 {rate}，{ratio}，{defects} 个确认缺陷——"
            "整改 {action}（{action_type}）{evaluation}：请确认其针对这些缺陷。"
        ),
        "ratio": "是类目中位数 {median} 的 {ratio}",
        "zero-median": "类目中位数为 0",
        "more": " 等另 {n} 条",
        "overdue": "{n} 条投诉已超时（最长 {hours} 小时：{ids}）——请今天跟进。",
        "sla-acknowledge": (
            "受理响应按时率 {rate} 低于 {target} 目标（{met}/{measured}）——检查客服排班和"
            "该商家渠道的自动受理。"
        ),
        "sla-merchant_notified": (
            "通知商家按时率 {rate} 低于 {target} 目标（{met}/{measured}）——在受理时即通知商家，"
            "不要等分拣之后。"
        ),
        "sla-merchant_evidence": (
            "商家按时举证率 {rate} 低于 {target} 目标（{met}/{measured}）——提醒商家举证时限，"
            "再次发生时发出商家警告。"
        ),
        "sla-resolution": (
            "处理完结按时率 {rate} 低于 {target} 目标（{met}/{measured}）——与商家逐条梳理未结"
            "投诉，加快确定处理方式。"
        ),
        "grade-d": (
            "等级 D（{window} 缺陷率 {rate}，类目中位数 {median}）——"
            "安排质量复盘，考虑发出商家警告。"
        ),
        "recurrence": (
            "{sku} {name}：{n} 位买家在投诉关闭后再次投诉{issue}（{ids}）——处理未解决问题，"
            "请复查维修和换货库存。"
        ),
        "action-escalate": (
            "整改 {action}（{action_type}）{evaluation}：{before} → {after}，变化 {change}"
            "（95% {low} 至 {high}），检验功效 {power}——请升级为更严格的措施。"
        ),
        "rising": "缺陷率环比上升 {change}，且近 4 周呈上升趋势——请检查最新批次，防止影响等级。",
        "immature": "（含未成熟周：仍可能上升）",
    },
}


def recommend(card: MerchantCard, settings: Settings, labels: Labels) -> list[Recommendation]:
    """The card's recommended actions, most urgent first, at most ``reco_max_items``."""
    text = _TEXT[labels.lang]
    out: list[Recommendation] = []
    out += _overdue(card, text)
    if card.has_orders:
        out += _sku_defects(card, settings, labels, text)
        out += _grade_d(card, text)
        out += _rising(card, settings, text)
    out += _sla(card, settings, text)
    out += _recurrences(card, labels, text)
    out += _escalate(card, labels, text)
    out.sort(key=lambda r: r.priority)
    return out[: settings.reco_max_items]


def _sku_label(sku_id: str) -> str:
    """``SKU S01A``, or the id alone when it already reads as a SKU code (``SKU000938``)."""
    return sku_id if sku_id.upper().startswith("SKU") else f"SKU {sku_id}"


def _ratio(rate: float, median: float, text: dict[str, str]) -> str:
    """ "2.3× the category median 0.40 %", or "category median is 0" (no ratio against zero)."""
    if not median or median <= 0:
        return text["zero-median"]
    return text["ratio"].format(ratio=f"{rate / median:.1f}×", median=fmt.pct(median))


def _ids(ids: list[str], text: dict[str, str]) -> str:
    """At most MAX_IDS ids, then "and N more" (the workbook lists them all)."""
    shown = ", ".join(ids[:MAX_IDS])
    return shown + (text["more"].format(n=len(ids) - MAX_IDS) if len(ids) > MAX_IDS else "")


def _sku_defects(
    card: MerchantCard, settings: Settings, labels: Labels, text: dict[str, str]
) -> list[Recommendation]:
    median = card.category_window_median
    if fmt.is_missing(median):
        return []
    out = []
    for sku in card.skus:
        rate, defects = sku["window_defect_rate"], sku["window_defect_lines"] or 0
        if rate is None or defects < settings.reco_sku_min_defects:
            continue
        if rate < settings.reco_sku_defect_ratio * median or rate == 0:
            continue
        action = next(
            (
                a
                for a in card.actions
                if a.get("sku_id") == sku["sku_id"] and a.get("evaluation") in _OPEN_EVALUATIONS
            ),
            None,
        )
        values = {
            "sku": _sku_label(sku["sku_id"]),
            "name": mask_phones(sku.get("sku_name") or ""),
            "rate": fmt.pct(rate),
            "weeks": settings.reco_sku_window_weeks,
            "ratio": _ratio(rate, median, text),
            "defects": defects,
        }
        if action:
            key = "sku-defects-followup"
            values |= {
                "action": action["action_id"],
                "action_type": labels.code(action.get("action_type")),
                "evaluation": labels.code(action.get("evaluation")),
            }
        else:
            key = "sku-defects"
        message = text[key].format(**values)
        if not sku.get("window_is_mature", True):
            message += text["immature"]
        out.append(Recommendation("sku-defects", 1, message, subject=sku["sku_id"]))
    return out


def _overdue(card: MerchantCard, text: dict[str, str]) -> list[Recommendation]:
    if not card.overdue:
        return []
    ids = list(dict.fromkeys(row["complaint_id"] for row in card.overdue))
    longest = max((row["overdue_hours"] or 0) for row in card.overdue)
    message = text["overdue"].format(n=len(ids), hours=fmt.hours(longest), ids=_ids(ids, text))
    return [Recommendation("overdue", 1, message)]


def _sla(card: MerchantCard, settings: Settings, text: dict[str, str]) -> list[Recommendation]:
    out = []
    for stage in card.sla:
        measured, rate = stage["n_measured"] or 0, stage["compliance_rate"]
        if rate is None or measured < settings.reco_sla_min_measured:
            continue
        if rate >= settings.reco_sla_target_rate:
            continue
        message = text[f"sla-{stage['stage']}"].format(
            rate=fmt.pct(rate, 0),
            target=fmt.pct(settings.reco_sla_target_rate, 0),
            met=stage["n_met"],
            measured=measured,
        )
        out.append(Recommendation(f"sla-{stage['stage']}", 2, message, subject=stage["stage"]))
    return out


def _grade_d(card: MerchantCard, text: dict[str, str]) -> list[Recommendation]:
    if card.row.get("grade") != "D":
        return []
    # The grade rests on the mature grading window, never on this week's provisional rate.
    window = " – ".join(
        str(card.row.get(key) or "")
        for key in ("grade_window_start_iso_week", "grade_window_end_iso_week")
    )
    message = text["grade-d"].format(
        rate=fmt.pct(card.row.get("graded_defect_rate")),
        window=window,
        median=fmt.pct(card.row.get("category_median_defect_rate")),
    )
    return [Recommendation("grade-d", 2, message)]


def _recurrences(card: MerchantCard, labels: Labels, text: dict[str, str]) -> list[Recommendation]:
    grouped: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in card.recurrences:
        if not row.get("is_defect_issue"):
            continue  # misuse, transport damage…: not something the merchant's fix could hold
        grouped[(row["sku_id"], row.get("issue_type") or "")].append(row)
    out = []
    for (sku, issue), rows in grouped.items():
        message = text["recurrence"].format(
            sku=_sku_label(sku),
            name=mask_phones(rows[0].get("sku_name") or ""),
            issue=labels.code(issue),
            n=len(rows),
            ids=_ids(
                [f"{r['complaint_id']} → {r['recurred_by_complaint_id']}" for r in rows], text
            ),
        )
        out.append(Recommendation("recurrence", 2, message, subject=sku))
    return out


def _escalate(card: MerchantCard, labels: Labels, text: dict[str, str]) -> list[Recommendation]:
    """Escalate only what the test could judge: no detectable change, or worse after."""
    out = []
    for action in card.actions:
        if action.get("evaluation") not in _ESCALATE_VERDICTS:
            continue
        message = text["action-escalate"].format(
            action=action["action_id"],
            action_type=labels.code(action.get("action_type")),
            evaluation=labels.code(action.get("evaluation")),
            before=fmt.pct(action.get("before_defect_rate")),
            after=fmt.pct(action.get("after_defect_rate")),
            change=fmt.signed_pct(action.get("relative_change")),
            low=fmt.signed_pct(action.get("relative_change_ci_low")),
            high=fmt.signed_pct(action.get("relative_change_ci_high")),
            power=fmt.pct(action.get("power"), 0),
        )
        out.append(Recommendation("action-escalate", 2, message, subject=action["action_id"]))
    return out


def _rising(card: MerchantCard, settings: Settings, text: dict[str, str]) -> list[Recommendation]:
    change, trend = card.row.get("defect_rate_wow_change"), card.row.get("defect_rate_4w_trend")
    if fmt.is_missing(change) or fmt.is_missing(trend):
        return []
    if change < settings.reco_rising_defect_rate_change or trend <= 0:
        return []
    message = text["rising"].format(change=fmt.points(change))
    if not card.row.get("is_mature", True):
        message += text["immature"]
    return [Recommendation("rising", 3, message)]
