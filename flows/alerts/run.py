"""One alerts run: evaluate the rules on the warehouse, send what is new or escalated, record it.

Per recipient, the alerts due in one run go out one message each, or as one digest when more than
``alert_digest_threshold`` are due. A failed message is retried (``alert_attempts``, exponential
backoff), then recorded as failed and sent by a later run; the run reports it and exits non-zero.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from prefect import flow, get_run_logger

from flows.alerts import messages
from flows.alerts.deliver import deliver
from flows.alerts.kinds import KINDS, Alert
from flows.alerts.ledger import AlertLedger, Key
from flows.alerts.rules import Recipient, Rule, parse_rules
from flows.config import Settings
from flows.errors import UserError
from flows.i18n import because, say
from flows.warehouse import read_only

log = logging.getLogger(__name__)


@dataclass
class AlertsReport:
    """What a run found and did."""

    alerts: int = 0
    messages_sent: int = 0
    alerts_sent: int = 0
    messages_failed: int = 0
    failures: list[str] = field(default_factory=list)
    rule_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures and not self.rule_errors

    def summary(self) -> str:
        parts = [
            say("alerts_active", n=self.alerts),
            say("alerts_sent", alerts=self.alerts_sent, messages=self.messages_sent),
        ]
        if self.messages_failed:
            parts.append(say("alerts_failed", n=self.messages_failed))
        if self.rule_errors:
            parts.append(say("alerts_rule_errors", n=len(self.rule_errors)))
        return say("list_sep").join(parts)


def collect(warehouse: Path, rules: list[Rule], report: AlertsReport) -> list[Alert]:
    """Every active alert of every rule (a rule that fails is reported, the others go on)."""
    alerts = []
    with read_only(warehouse) as con:
        as_of = con.execute("select as_of from marts.build_info").fetchone()[0]
        as_of = as_of if isinstance(as_of, datetime) else datetime.fromisoformat(str(as_of))
        for rule in rules:
            try:
                alerts.extend(KINDS[rule.kind](con, rule, as_of))
            except UserError as exc:
                report.rule_errors.append(f"rule {rule.name}: {exc}")
    report.alerts = len(alerts)
    return alerts


def run_alerts(settings: Settings, warehouse: Path | None = None) -> AlertsReport:
    """Evaluate ``settings.alert_rules`` and deliver what is due; see the module docstring."""
    rules = parse_rules(settings.alert_rules, set(KINDS))
    report = AlertsReport()
    if not rules:
        return report
    alerts = collect(Path(warehouse or settings.warehouse), rules, report)
    by_rule: dict[str, list[Alert]] = {}
    for alert in alerts:
        by_rule.setdefault(alert.rule, []).append(alert)
    with AlertLedger(settings.alert_ledger).open() as ledger:
        state = ledger.state()
        due: dict[Recipient, list[tuple[Alert, bool, bool]]] = {}
        for rule in rules:
            for recipient in rule.recipients:
                for alert in by_rule.get(rule.name, []):
                    status, sent_level = state.get(
                        (rule.name, alert.subject, recipient.key), (None, 0)
                    )
                    if alert.level > sent_level:
                        escalated = sent_level > 0
                        repeat = status == "sending"  # interrupted last time: maybe delivered
                        due.setdefault(recipient, []).append((alert, escalated, repeat))
        for recipient, items in due.items():
            for batch in _messages(items, settings.alert_digest_threshold):
                _send(ledger, recipient, batch, settings, report)
    log.info(report.summary())
    return report


def _messages(items: list, threshold: int) -> list[list]:
    return [items] if len(items) > threshold else [[item] for item in items]


def _send(
    ledger: AlertLedger,
    recipient: Recipient,
    batch: list[tuple[Alert, bool, bool]],
    settings: Settings,
    report: AlertsReport,
) -> None:
    alerts = [alert for alert, _, _ in batch]
    if len(batch) == 1:
        alert, escalated, repeat = batch[0]
        title, body = messages.single(
            alert, recipient.lang, settings.dashboard_url, escalated, repeat
        )
    else:
        title, body = messages.digest(alerts, recipient.lang, settings.dashboard_url)
    keys: list[Key] = [(a.rule, a.subject, recipient.key) for a in alerts]
    url = recipient.resolved_url(alerts[0].rule)
    ledger.mark_sending([(key, a.kind, a.level) for key, a in zip(keys, alerts, strict=True)])
    error = deliver(url, title, body, settings.alert_attempts, settings.alert_backoff_seconds)
    if error is None:
        ledger.mark_sent(keys)
        report.messages_sent += 1
        report.alerts_sent += len(alerts)
    else:
        ledger.mark_failed(keys, error)
        report.messages_failed += 1
        report.failures.append(
            say(
                "alerts_not_delivered",
                recipient=recipient.key,
                n=len(alerts),
                reason=because(error),
            )
        )


@flow(name="alerts")
def hourly_alerts(warehouse: str | None = None, config_file: str | None = None) -> AlertsReport:
    """Send the alerts that are new or escalated since the last run (scheduled hourly)."""
    from flows.config import load_settings

    settings = load_settings(config_file).with_paths(warehouse=warehouse)
    report = run_alerts(settings)
    logger = get_run_logger()
    logger.info(report.summary())
    for line in report.failures + report.rule_errors:
        logger.error(line)
    if not report.ok:
        raise UserError("err_alerts_incomplete", summary=report.summary())
    return report
