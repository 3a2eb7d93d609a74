"""The scorecards' words in Chinese and English (one dictionary per language, same keys); codes
are worded by the one code table, ``flows.contract.CODES``."""

from __future__ import annotations

from typing import Any

from flows.contract import CODED_COLUMNS, COLUMN_LABELS, code_label, column_label
from flows.errors import UserError
from flows.formatting import is_missing

LANGUAGES = ("zh", "en")

_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Merchant quality scorecard",
        "index_title": "Merchant scorecards",
        "week": "Week",
        "week_tick": "W{week:02d}",
        "merchant": "Merchant",
        "no_grade": "no grade",
        "refunds": "Refunds + compensation",
        "recurrences": "Recurrences",
        "wow": "vs last week",
        "interval": "95 % interval",
        "percentile": "Percentile in category",
        "percentile_note": "0 = best, 100 = worst",
        "trend": "Defect rate, last {n} weeks",
        "trend_4w": "4-week trend",
        "per_week": "/week",
        "immature": "immature",
        "small_rates_note": "— / empty rate: fewer than {minimum} cases (n beside it)",
        "immature_note": (
            "Immature: complaints are counted against the week the order was placed, so the "
            "latest weeks can still rise as complaints arrive."
        ),
        "recommendations": "Recommended actions",
        "no_recommendations": "No action needed this week.",
        "sku": "SKU",
        "this_week": "this week",
        "window": "last {n} weeks",
        "sla": "SLA compliance by stage",
        "legal": "Legal entitlements (complaints received this week, closed)",
        "legal_summary": "{checked} checked, {entitled} with an entitlement, {below} below it",
        "legal_rule": "Rule fallen short of",
        "legal_remedy": "Remedy given < entitled",
        "legal_shortfall": "Compensation shortfall",
        "measured": "Measured",
        "compliance": "Compliance",
        "overdue": "Overdue complaints (open at data time)",
        "no_overdue": "No complaint is overdue.",
        "overdue_short": "Overdue complaints",
        "complaint": "Complaint",
        "hours_overdue": "Hours overdue",
        "recurred_by": "Recurred by",
        "days": "Days",
        "no_recurrences": "No recurrence in the last weeks.",
        "actions": "Corrective actions",
        "no_actions": "No corrective action recorded.",
        "action": "Action",
        "type": "Type",
        "opened": "Opened",
        "completed": "Completed",
        "before": "Before",
        "after": "After",
        "change": "Change",
        "whole_merchant": "whole merchant",
        "no_orders_title": "No order exports loaded: rates need order lines",
        "no_orders": (
            "This platform's data has complaints but no orders, so defect and complaint rates, "
            "grades and recurrence are absent (not zero). Complaints received in {week}: {n}."
        ),
        "no_activity_title": "No activity this week",
        "no_activity": (
            "This merchant had no orders in {week}, so there is no defect rate for the week."
        ),
        "last_active": "Last week with orders: {week}.",
        "never_active": "No orders in the last {n} weeks.",
        "overview": "Overview",
        "activity": "Activity",
        "yes": "yes",
        "no": "no",
        "open_card": "open",
        "workbook": "Workbook",
        "merchants": "merchants",
        "footer": (
            "All numbers come from the warehouse marts (build as of {as_of}). Phone numbers are "
            "masked."
        ),
        "more": "… and {n} more",
        "value": "Value",
        "metric": "Metric",
        "rule": "Rule",
        "none": "—",
    },
    "zh": {
        "title": "商家质量周报",
        "index_title": "商家质量周报",
        "week": "周次",
        "week_tick": "{week}周",
        "merchant": "商家",
        "no_grade": "无等级",
        "refunds": "退款 + 补偿",
        "recurrences": "复发",
        "wow": "环比上周",
        "interval": "95% 置信区间",
        "percentile": "类目内百分位",
        "percentile_note": "0 = 最好，100 = 最差",
        "trend": "缺陷率（近 {n} 周）",
        "trend_4w": "近 4 周趋势",
        "per_week": "/周",
        "immature": "未成熟",
        "small_rates_note": "— / 空白比率：样本少于 {minimum}（n 见旁列），不显示比率",
        "immature_note": "未成熟：投诉按下单周归属，最近几周的数字仍可能随后续投诉上升。",
        "recommendations": "建议措施",
        "no_recommendations": "本周无需采取措施。",
        "sku": "SKU",
        "this_week": "本周",
        "window": "近 {n} 周",
        "sla": "各环节时效达标率",
        "legal": "法定权益合规（本周受理、已关闭的投诉）",
        "legal_summary": "已核对 {checked} 件，其中有法定权益 {entitled} 件，低于权益 {below} 件",
        "legal_rule": "未满足的规则",
        "legal_remedy": "实际处理 < 法定处理",
        "legal_shortfall": "赔偿差额",
        "measured": "考核数",
        "compliance": "达标率",
        "overdue": "超时投诉（截至数据时间仍未完成）",
        "no_overdue": "没有超时投诉。",
        "overdue_short": "超时投诉",
        "complaint": "投诉编号",
        "hours_overdue": "超时小时数",
        "recurred_by": "复发投诉",
        "days": "天数",
        "no_recurrences": "近几周没有复发。",
        "actions": "整改措施",
        "no_actions": "没有整改记录。",
        "action": "整改编号",
        "type": "措施",
        "opened": "开始",
        "completed": "完成",
        "before": "整改前",
        "after": "整改后",
        "change": "变化",
        "whole_merchant": "整个商家",
        "no_orders_title": "未加载订单导出：比率需要订单行",
        "no_orders": (
            "本平台数据只有投诉、没有订单，因此缺陷率、投诉率、评级和复发均缺失（不是 0）。"
            "{week} 收到投诉：{n}。"
        ),
        "no_activity_title": "本周无经营活动",
        "no_activity": "该商家在 {week} 没有订单，因此本周没有缺陷率。",
        "last_active": "最近有订单的一周：{week}。",
        "never_active": "近 {n} 周没有订单。",
        "overview": "总览",
        "activity": "有订单",
        "yes": "是",
        "no": "否",
        "open_card": "查看",
        "workbook": "工作簿",
        "merchants": "个商家",
        "footer": "所有数字均来自数据仓库的指标汇总表（数据截至 {as_of}）。电话号码已脱敏。",
        "more": "… 另有 {n} 条",
        "value": "数值",
        "metric": "指标",
        "rule": "规则",
        "none": "—",
    },
}

# Codes a scorecard shows without saying their kind, and which kind wins when a code is in two
# (``merchant``: the scope of an action on a card, not a responsibility).
_CARD_CODE_KINDS = (
    "issue_type",
    "stage",
    "evaluation",
    "action_type",
    "scope",
    "sla_status",
    "channel",
    "status",
    "remedy",
    "responsibility",
    "grade_status",
    "sla_target_unit",
    "legal_rule",
)


class Labels:
    """Text lookup for one language: ``labels["defect_rate"]``, ``labels.code("counterfeit")``."""

    def __init__(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise UserError("err_lang_unsupported", value=repr(lang), choices=", ".join(LANGUAGES))
        self.lang = lang
        self._text = _TEXT[lang]

    def __getitem__(self, key: str) -> str:
        # A column's name gives its header from the one column-label table.
        if key in COLUMN_LABELS:
            return column_label(key, self.lang)
        return self._text[key]

    def fmt(self, key: str, **values: Any) -> str:
        return self._text[key].format(**values)

    def sla_target(self, targets: list[dict[str, Any]]) -> str:
        """A stage's targets as text, with units: "2 h", or per channel when they differ
        ("app, web form: 2 h; hotline: 2 working h"); channels without a target are left out."""
        groups: dict[tuple[float, str], list[str]] = {}
        for row in targets:
            if row.get("target_value") is None:
                continue
            key = (float(row["target_value"]), str(row["target_unit"]))
            groups.setdefault(key, []).append(self.code(row["channel"], "channel"))
        texts = {key: f"{key[0]:g} {self.code(key[1], 'sla_target_unit')}" for key in groups}
        if len(groups) == 1 and len(next(iter(groups.values()))) == len(targets):
            return next(iter(texts.values()))
        sep = "；" if self.lang == "zh" else "; "
        joiner = "、" if self.lang == "zh" else ", "
        return (
            sep.join(f"{joiner.join(groups[key])}: {texts[key]}" for key in groups)
            or (self._text["none"])
        )

    def column(self, key: str) -> str:
        """A table header: the column's words in this language (``flows.column_labels``)."""
        return column_label(key, self.lang)

    def flag(self, value: object) -> str | None:
        """A yes/no cell: 是/否, Yes/No (never True/False, whose sense hangs on the header)."""
        if is_missing(value):
            return None
        return ("是" if value else "否") if self.lang == "zh" else ("Yes" if value else "No")

    def coded(self, key: str, value: object) -> object:
        """A cell of column ``key``: its code's word when the column holds codes."""
        kind = CODED_COLUMNS.get(key)
        if kind is None or is_missing(value) or not isinstance(value, str):
            return value
        return self.code(value, kind)

    def code(self, value: object, kind: str | None = None) -> str:
        """The word for a code from the one code table, ``flows.contract.CODES`` (the code
        itself when unknown)."""
        if value is None:
            return self._text["none"]
        for candidate in (kind,) if kind else _CARD_CODE_KINDS:
            label = code_label(candidate, value, self.lang)
            if label is not None:
                return label
        return str(value)
