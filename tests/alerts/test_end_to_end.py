"""Alerts end to end against a local webhook receiver and a local SMTP server (127.0.0.1 only):
the right messages arrive once, a rerun sends nothing, an escalation sends one more, a receiver
that fails twice then succeeds gets the alert exactly once, and no message carries a phone."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from flows.alerts.ledger import AlertLedger
from flows.alerts.run import run_alerts
from flows.config import Settings
from flows.errors import UserError
from tests.alerts.conftest import MASKED, PHONE

PHONE_LIKE = re.compile(r"1[3-9]\d(\d{4}|\*{4})\d{4}")
DASHBOARD = "http://dash.example:8501"


def settings_for(tmp_path: Path, warehouse: Path, rules: list[dict], **more) -> Settings:
    return replace(
        Settings(),
        warehouse=warehouse,
        alert_rules=rules,
        alert_ledger=tmp_path / "alerts" / "ledger.sqlite",
        alert_attempts=3,
        alert_backoff_seconds=0.0,
        dashboard_url=DASHBOARD,
        **more,
    )


def mail_url(port: int) -> str:
    return f"mailto://127.0.0.1:{port}?from=alerts@example.com&to=quality@example.com&mode=insecure"


@pytest.fixture
def rules(webhook, smtp) -> list[dict]:
    _, port = smtp
    return [
        {
            "name": "spikes",
            "kind": "sku_defect_spike",
            "threshold": 3,
            "recipients": [{"url": webhook.url("spikes"), "lang": "zh", "name": "qa-robot"}],
        },
        {
            "name": "terms",
            "kind": "emerging_term",
            "category": ["家居家装"],
            "recipients": [{"url": webhook.url("terms"), "lang": "en", "name": "qa-robot-en"}],
        },
        {
            "name": "sla",
            "kind": "sla",
            "threshold": 4,
            "recipients": [{"url": mail_url(port), "lang": "en", "name": "qa-mail"}],
        },
    ]


def test_right_messages_once_then_nothing_then_escalation(tmp_path, warehouse, webhook, smtp,
                                                          rules):  # fmt: skip
    box, _ = smtp
    settings = settings_for(tmp_path, warehouse, rules)

    first = run_alerts(settings)
    assert first.ok, first
    by_path = {}
    for message in webhook.received:
        by_path.setdefault(message["path"], []).append(message["message"])
    # two SKU spikes in the look-back (the 2025 one is too old), one emerging term, in zh / en
    assert len(by_path["/spikes"]) == 2
    assert any("保温杯 500ml（S1）" in m and "SKU 缺陷激增" in m for m in by_path["/spikes"])
    assert any("蓝牙耳机（S2）" in m for m in by_path["/spikes"])
    assert not any("S3" in m for m in by_path["/spikes"])
    (term,) = by_path["/terms"]
    assert 'Emerging complaint term: "异味"' in term and "9 mentions" in term
    # links open the dashboard page with the filters in the URL
    assert f"{DASHBOARD}/skus?from=2026-W47&to=2026-W47&cat=%E5%AE%B6" in term
    assert "term=%E5%BC%82%E5%91%B3" in term and "lang=en" in term
    # SLA by mail: one breached, one about to breach
    mails = box.bodies()
    assert len(mails) == 2
    assert any("SLA breached: complaint C100 · stage Acknowledge" in m for m in mails)
    assert any("SLA due soon: complaint C101 · stage Merchant evidence" in m for m in mails)
    assert first.alerts_sent == 5 and first.messages_sent == 5

    second = run_alerts(settings)
    assert second.ok and second.alerts_sent == 0
    assert len(webhook.received) == 3 and len(box.messages) == 2

    with duckdb.connect(str(warehouse)) as con:  # S1's week doubles: 4 -> 9 defect lines
        con.execute("update marts.sku_defect_alerts set defect_lines = 9 where sku_id = 'S1'")
    third = run_alerts(settings)
    assert third.ok and third.alerts_sent == 1
    assert len(webhook.received) == 4
    assert webhook.received[-1]["message"].startswith("【升级】SKU 缺陷激增：保温杯 500ml（S1）")
    assert run_alerts(settings).alerts_sent == 0

    for text in webhook.bodies() + box.bodies():
        assert not PHONE_LIKE.search(text), text
        assert PHONE not in text and MASKED not in text and "B0001" not in text


def test_a_receiver_failing_twice_then_succeeding_gets_the_alert_once(tmp_path, warehouse,
                                                                       webhook):  # fmt: skip
    rules = [{"name": "terms", "kind": "emerging_term", "recipients": [webhook.url()]}]
    settings = settings_for(tmp_path, warehouse, rules)
    webhook.fail_next = 2
    report = run_alerts(settings)
    assert report.ok and report.alerts_sent == 1
    assert webhook.requests == 3 and len(webhook.received) == 1
    assert run_alerts(settings).alerts_sent == 0
    assert len(webhook.received) == 1
    with AlertLedger(settings.alert_ledger).open() as ledger:
        (row,) = ledger.rows()
    assert (row["status"], row["sent_level"], row["attempts"]) == ("sent", 4, 1)  # 9 mentions


def test_a_delivery_that_fails_every_retry_is_recorded_and_sent_by_the_next_run(
    tmp_path, warehouse, webhook
):
    rules = [{"name": "terms", "kind": "emerging_term", "recipients": [webhook.url()]}]
    settings = settings_for(tmp_path, warehouse, rules)
    webhook.fail_next = 3
    failed = run_alerts(settings)
    assert not failed.ok and failed.messages_failed == 1 and failed.alerts_sent == 0
    assert "not delivered" in failed.failures[0]
    with AlertLedger(settings.alert_ledger).open() as ledger:
        (row,) = ledger.rows()
    assert row["status"] == "failed" and row["sent_level"] == 0 and row["last_error"]
    again = run_alerts(settings)
    assert again.ok and again.alerts_sent == 1
    assert len(webhook.received) == 1
    assert run_alerts(settings).alerts_sent == 0


def test_more_than_n_alerts_go_as_one_digest(tmp_path, warehouse, webhook):
    rules = [
        {"name": "spikes", "kind": "sku_defect_spike", "recipients": [webhook.url()]},
        {"name": "terms", "kind": "emerging_term", "recipients": [webhook.url()]},
        {"name": "sla", "kind": "sla", "recipients": [webhook.url()]},
    ]
    settings = settings_for(tmp_path, warehouse, rules, alert_digest_threshold=3)
    report = run_alerts(settings)
    assert report.ok and report.alerts_sent == 5 and report.messages_sent == 1
    (digest,) = webhook.received
    assert digest["title"] == "质量告警汇总：5 条"
    assert digest["message"].count("\n- ") == 4  # five lines
    assert run_alerts(settings).alerts_sent == 0


def test_an_interrupted_send_is_sent_again_marked_as_a_possible_repeat(tmp_path, warehouse,
                                                                       webhook):  # fmt: skip
    rules = [{"name": "terms", "kind": "emerging_term", "recipients": [webhook.url()]}]
    settings = settings_for(tmp_path, warehouse, rules)
    with AlertLedger(settings.alert_ledger).open() as ledger:  # a run died after this write
        ledger.mark_sending([(("terms", "sku|S1|异味|2026-11-16", "url-x"), "emerging_term", 1)])
    key = rules[0]["recipients"][0]
    from flows.alerts.rules import Recipient

    recipient_key = Recipient(key).key
    with AlertLedger(settings.alert_ledger).open() as ledger:
        ledger.mark_sending(
            [(("terms", "sku|S1|异味|2026-11-16", recipient_key), "emerging_term", 1)]
        )
    run_alerts(settings)
    (message,) = webhook.received
    assert message["message"].startswith("【可能重复】")


def test_secrets_come_from_the_environment(tmp_path, warehouse, webhook, monkeypatch):
    url = f"json://127.0.0.1:{webhook.port}/${{ALERT_HOOK_PATH}}"
    rules = [{"name": "terms", "kind": "emerging_term", "recipients": [url]}]
    settings = settings_for(tmp_path, warehouse, rules)
    monkeypatch.delenv("ALERT_HOOK_PATH", raising=False)
    with pytest.raises(UserError, match="ALERT_HOOK_PATH, which is not set"):
        run_alerts(settings)
    monkeypatch.setenv("ALERT_HOOK_PATH", "secret-robot-token")
    assert run_alerts(settings).alerts_sent == 1
    assert webhook.received[0]["path"] == "/secret-robot-token"
    with AlertLedger(settings.alert_ledger).open() as ledger:  # the secret is not stored
        assert "secret-robot-token" not in str(ledger.rows())


def test_a_rule_whose_mart_is_missing_is_reported_and_the_others_still_run(
    tmp_path, warehouse, webhook
):
    with duckdb.connect(str(warehouse)) as con:
        con.execute("drop table marts.sku_defect_alerts")
    rules = [
        {"name": "spikes", "kind": "sku_defect_spike", "recipients": [webhook.url()]},
        {"name": "terms", "kind": "emerging_term", "recipients": [webhook.url()]},
    ]
    report = run_alerts(settings_for(tmp_path, warehouse, rules))
    assert not report.ok and "marts.sku_defect_alerts" in report.rule_errors[0]
    assert report.alerts_sent == 1


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"name": "x", "kind": "nope", "recipients": ["json://127.0.0.1/"]}, "kind 'nope'"),
        ({"name": "x", "kind": "sla", "recipients": []}, "no recipients"),
        (
            {"name": "x", "kind": "sla", "recipients": [{"url": "json://h/", "lang": "fr"}]},
            "lang must be zh or en",
        ),
        ({"kind": "sla", "recipients": ["json://h/"]}, "needs a name"),
    ],
)
def test_bad_rules_get_a_clear_error(tmp_path, warehouse, rule, message):
    with pytest.raises(UserError, match=message):
        run_alerts(settings_for(tmp_path, warehouse, [rule]))


def test_below_entitlement_remedies_alert_once(tmp_path, warehouse, webhook):
    rules = [
        {"name": "legal", "kind": "below_entitlement", "threshold": 100,
         "recipients": [{"url": webhook.url(), "lang": "zh"}]},
        {"name": "legal-en", "kind": "below_entitlement", "threshold": 200,
         "recipients": [{"url": webhook.url("en"), "lang": "en"}]},
    ]  # fmt: skip
    settings = settings_for(tmp_path, warehouse, rules)
    assert run_alerts(settings).alerts_sent == 3  # C200 and C201; C201 short by < 200 for en
    texts = sorted(m["message"] for m in webhook.received)
    assert any(
        "低于法定权益：投诉 C200 · 三包·7日退换 · 应为 退货退款，实为 部分退款" in t for t in texts
    ), texts
    assert any("投诉 C201 · 假一赔三" in t and "赔偿差额 120.50" in t for t in texts), texts
    assert any("Below the legal entitlement: complaint C200" in t for t in texts), texts
    assert all(f"{DASHBOARD}/compliance?from=2026-W47&to=2026-W47" in t for t in texts)
    assert run_alerts(settings).alerts_sent == 0
