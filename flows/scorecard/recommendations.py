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
- ``recurrence``: a closed complaint of a defect issue type (quality defect, cosmetic flaw,
  counterfeit) recurred on the same SKU → the fix did not hold.
- ``action-not-effective``: a corrective action evaluated ``not_effective`` (no significant
  reduction) → escalate.
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

_OPEN_EVALUATIONS = ("in_progress", "pending")

_TEXT = {
    "en": {
        "sku-defects": (
            "{sku} {name}: defect rate {rate} over the last {weeks} weeks is {ratio} the "
            "category median ({median}), over {defects} confirmed defects — open a corrective "
            "action (root cause with the merchant, then supplier or process fix)."
        ),
        "sku-defects-followup": (
            "{sku} {name}: defect rate {rate} over the last {weeks} weeks is {ratio} the "
            "category median ({median}), over {defects} confirmed defects — corrective action "
            "{action} ({action_type}) is {evaluation}: check that it addresses these defects."
        ),
        "overdue": (
            "{n} complaint(s) open and past their deadline (longest {hours} h overdue: {ids}) — "
            "chase them today."
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
            "Grade D (defect rate {rate}, category median {median}) — schedule a quality review "
            "with the merchant and consider a merchant warning."
        ),
        "recurrence": (
            "{sku} {name}: {issue} came back {n} time(s) within the recurrence window after "
            "closure ({ids}) — the fix did not hold; reopen the root-cause analysis."
        ),
        "action-not-effective": (
            "Corrective action {action} ({action_type}) brought no significant reduction of "
            "defects ({before} → {after}, p = {p}) — escalate to a stronger measure."
        ),
        "rising": (
            "Defect rate up {change} on last week and rising over 4 weeks — inspect the newest "
            "batches before it shows in the grade."
        ),
        "immature": " (includes immature weeks: can still rise)",
    },
    "zh": {
        "sku-defects": (
            "{sku} {name}：近 {weeks} 周缺陷率 {rate}，是类目中位数（{median}）的 {ratio}，"
            "共 {defects} 个确认缺陷——请发起整改（与商家查明根因，更换供应商或改进工艺）。"
        ),
        "sku-defects-followup": (
            "{sku} {name}：近 {weeks} 周缺陷率 {rate}，是类目中位数（{median}）的 {ratio}，"
            "共 {defects} 个确认缺陷——整改 {action}（{action_type}）{evaluation}：请确认其针对"
            "这些缺陷。"
        ),
        "overdue": "{n} 条投诉未完成且已超时（最长超时 {hours} 小时：{ids}）——请今天跟进。",
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
            "等级 D（缺陷率 {rate}，类目中位数 {median}）——安排与商家的质量复盘，考虑发出商家警告。"
        ),
        "recurrence": (
            "{sku} {name}：{issue} 在关闭后复发 {n} 次（{ids}）——整改未奏效，请重新分析根因。"
        ),
        "action-not-effective": (
            "整改 {action}（{action_type}）未使缺陷率显著下降（{before} → {after}，p = {p}）——"
            "请升级为更严格的措施。"
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
    out += _not_effective(card, labels, text)
    out.sort(key=lambda r: r.priority)
    return out[: settings.reco_max_items]


def _sku_label(sku_id: str) -> str:
    """``SKU S01A``, or the id alone when it already reads as a SKU code (``SKU000938``)."""
    return sku_id if sku_id.upper().startswith("SKU") else f"SKU {sku_id}"


def _ratio(rate: float, median: float) -> str:
    return f"{rate / median:.1f}×" if median > 0 else "∞×"


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
            "ratio": _ratio(rate, median),
            "median": fmt.pct(median),
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
    shown = ", ".join(ids[:5]) + (" …" if len(ids) > 5 else "")
    longest = max((row["overdue_hours"] or 0) for row in card.overdue)
    message = text["overdue"].format(n=len(ids), hours=fmt.hours(longest), ids=shown)
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
    # The rate the grade was given on (pooled over weeks for a small week) when the mart says.
    rate = card.row.get("graded_defect_rate", card.row.get("defect_rate"))
    message = text["grade-d"].format(
        rate=fmt.pct(rate),
        median=fmt.pct(card.row.get("category_median_defect_rate")),
    )
    if not card.row.get("is_mature", True):
        message += text["immature"]
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
            ids=", ".join(f"{r['complaint_id']} → {r['recurred_by_complaint_id']}" for r in rows),
        )
        out.append(Recommendation("recurrence", 2, message, subject=sku))
    return out


def _not_effective(
    card: MerchantCard, labels: Labels, text: dict[str, str]
) -> list[Recommendation]:
    out = []
    for action in card.actions:
        if action.get("evaluation") != "not_effective":
            continue
        message = text["action-not-effective"].format(
            action=action["action_id"],
            action_type=labels.code(action.get("action_type")),
            before=fmt.pct(action.get("before_defect_rate")),
            after=fmt.pct(action.get("after_defect_rate")),
            p=fmt.number(action.get("p_value"), 3),
        )
        out.append(Recommendation("action-not-effective", 2, message, subject=action["action_id"]))
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
