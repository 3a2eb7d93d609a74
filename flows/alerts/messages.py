"""Alert texts in Chinese or English, one per alert or a digest, with a link to the dashboard.

Every text passes ``check_no_personal_data`` before it leaves: the kinds never select
descriptions, phones or buyer ids, and this check makes a mistake fail loudly instead of leaking.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from flows.alerts.kinds import Alert
from flows.contract import code_label

# A mainland mobile number, clear or masked (138****5678), and buyer identifiers.
_PERSONAL = re.compile(r"(?<!\d)1[3-9]\d(?:\d{4}|\*{4})\d{4}(?!\d)|buyer_id|buyer_phone")

_TEXT = {
    "zh": {
        "sku_defect_spike": "SKU 缺陷激增：{sku_name}（{sku_id}）· {merchant_name}"
        " · {iso_week} 下单周 缺陷 {defect_lines}/{order_lines} 行"
        "（{defect_rate:.2%}，控制上限 {ucl:.2%}）",
        "emerging_term": "新出现的投诉词：“{term}” · {scope_label} {scope_name} · {iso_week}"
        " 提及 {n_complaints} 次（预期 {expected_complaints:.1f}，p={p_value:.1e}）",
        "sla_1": "SLA 即将超时：投诉 {complaint_id} · 环节 {stage_label} · 截止 {deadline}"
        " · {merchant_name}",
        "sla_2": "SLA 已超时：投诉 {complaint_id} · 环节 {stage_label}"
        " · 已超 {overdue_hours:.1f} 小时 · {merchant_name}",
        "below_entitlement": "低于法定权益：投诉 {complaint_id} · {rule_label}"
        " · 应为 {entitled_label}，实为 {given_label}{shortfall_text} · {merchant_name}",
        "shortfall": "，赔偿差额 {amount:.2f}",
        "title": "质量告警（{n} 条）",
        "digest_title": "质量告警汇总：{n} 条",
        "digest_more": "……另有 {n} 条，见看板",
        "escalated": "【升级】",
        "repeat": "【可能重复】",
        "open": "查看看板",
        "scope_sku": "SKU",
        "scope_category": "类目",
    },
    "en": {
        "sku_defect_spike": "SKU defect spike: {sku_name} ({sku_id}) · {merchant_name} · order week"
        " {iso_week}: {defect_lines}/{order_lines} lines defective ({defect_rate:.2%},"
        " control limit {ucl:.2%})",
        "emerging_term": 'Emerging complaint term: "{term}" · {scope_label} {scope_name} ·'
        " {iso_week}: {n_complaints} mentions (expected {expected_complaints:.1f},"
        " p={p_value:.1e})",
        "sla_1": "SLA due soon: complaint {complaint_id} · stage {stage_label} · deadline"
        " {deadline} · {merchant_name}",
        "sla_2": "SLA breached: complaint {complaint_id} · stage {stage_label} · overdue"
        " {overdue_hours:.1f} h · {merchant_name}",
        "below_entitlement": "Below the legal entitlement: complaint {complaint_id} ·"
        " {rule_label} · entitled to {entitled_label}, given {given_label}{shortfall_text}"
        " · {merchant_name}",
        "shortfall": ", compensation short by {amount:.2f}",
        "title": "Quality alerts ({n})",
        "digest_title": "Quality alert digest: {n} alerts",
        "digest_more": "… and {n} more on the dashboard",
        "escalated": "[escalated] ",
        "repeat": "[possible repeat] ",
        "open": "Open the dashboard",
        "scope_sku": "SKU",
        "scope_category": "category",
    },
}
DIGEST_LINES = 20


class PersonalDataError(RuntimeError):
    """A message would carry personal data; it is not sent."""


def check_no_personal_data(text: str) -> str:
    if _PERSONAL.search(text):
        raise PersonalDataError("an alert text carries a phone number or buyer identifier")
    return text


def link(base_url: str, alert: Alert, lang: str) -> str:
    query = urlencode({**alert.filters, "lang": lang})
    return f"{base_url.rstrip('/')}/{alert.page}?{query}"


def _word(kind: str, code: object, lang: str) -> str:
    """A code's word from the one code table (the code itself when unknown)."""
    return code_label(kind, code, lang) or str(code)


def line(alert: Alert, lang: str) -> str:
    """One alert in one line of text."""
    text = _TEXT[lang]
    facts = dict(alert.facts)
    if alert.kind == "sla":
        facts["stage_label"] = _word("stage", facts["stage"], lang)
        facts["deadline"] = (
            facts["deadline_at"].strftime("%Y-%m-%d %H:%M") if facts.get("deadline_at") else "-"
        )
        facts["overdue_hours"] = float(facts.get("overdue_hours") or 0.0)
        template = text[f"sla_{alert.level if alert.level in (1, 2) else 2}"]
    elif alert.kind == "emerging_term":
        facts["scope_label"] = text[f"scope_{facts['scope']}"]
        facts["scope_name"] = (
            f"{facts.get('sku_name') or ''}（{facts['scope_id']}）"
            if facts["scope"] == "sku"
            else facts["scope_id"]
        )
        template = text["emerging_term"]
    elif alert.kind == "below_entitlement":
        facts["rule_label"] = _word("legal_rule", facts["below_rule"], lang)
        facts["entitled_label"] = _word("remedy", facts["entitled_remedy"], lang)
        facts["given_label"] = _word("remedy", facts["remedy_given"], lang)
        shortfall = facts.get("compensation_shortfall")
        facts["shortfall_text"] = (
            text["shortfall"].format(amount=float(shortfall)) if shortfall else ""
        )
        template = text["below_entitlement"]
    else:
        template = text[alert.kind]
    facts = {k: ("-" if v is None else v) for k, v in facts.items()}
    return template.format(**facts)


def single(
    alert: Alert, lang: str, base_url: str, escalated: bool, repeat: bool
) -> tuple[str, str]:
    """(title, body) of a message about one alert."""
    text = _TEXT[lang]
    prefix = (text["repeat"] if repeat else "") + (text["escalated"] if escalated else "")
    body = f"{prefix}{line(alert, lang)}\n{text['open']}: {link(base_url, alert, lang)}"
    title = text["title"].format(n=1)
    return check_no_personal_data(title), check_no_personal_data(body)


def digest(alerts: list[Alert], lang: str, base_url: str) -> tuple[str, str]:
    """(title, body) of one message listing many alerts (the first ``DIGEST_LINES`` in full)."""
    text = _TEXT[lang]
    lines = [f"- {line(a, lang)} ({link(base_url, a, lang)})" for a in alerts[:DIGEST_LINES]]
    if len(alerts) > DIGEST_LINES:
        lines.append(text["digest_more"].format(n=len(alerts) - DIGEST_LINES))
    title = text["digest_title"].format(n=len(alerts))
    return check_no_personal_data(title), check_no_personal_data("\n".join(lines))
