"""Email delivery against a local SMTP server: one email per category team with its files, no
second send on a rerun, transient failures retried, permanent ones reported."""

from __future__ import annotations

import email
import json
from email import policy

import pytest

from flows.errors import UserError
from flows.formatting import grade_explanation
from flows.scorecard.mailer import SmtpSettings, smtp_from_env
from flows.scorecard.report import DeliveryFailed
from flows.scorecard.run import run_scorecards
from tests.scorecards.conftest import free_port, mart_rows, week_merchants
from tests.scorecards.planted import MERCHANT, PLANTED_PHONE, TARGET_WEEK

RECIPIENTS = """\
家用电器:
  to: [appliances@example.com]
  cc: [quality-lead@example.com]
Apparel/Shoes: apparel@example.com
"""
MAILED = ("家用电器", "Apparel/Shoes")


class Recorder:
    """An SMTP handler that keeps every accepted message and can refuse the first N."""

    def __init__(self, refuse_first: int = 0, code: str = "451 4.3.0 try again later") -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.refuse_first = refuse_first
        self.code = code
        self.calls = 0

    async def handle_DATA(self, server, session, envelope):
        self.calls += 1
        if self.calls <= self.refuse_first:
            return self.code
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"


@pytest.fixture
def recipients(settings):
    settings.recipients_file.write_text(RECIPIENTS, encoding="utf-8")


def _mailed(report) -> list[str]:
    """The statuses of the categories that have recipients; every other one has none."""
    statuses = {d.category: d.status for d in report.deliveries}
    assert {statuses.pop(c) for c in set(statuses) - set(MAILED)} <= {"no_recipients"}
    return [statuses[c] for c in MAILED if c in statuses]


def _attachment_names(message) -> set[str]:
    return {part.get_filename() for part in message.iter_attachments()}


def test_each_category_team_gets_one_email_with_its_files(
    settings, recipients, smtp_server, tmp_path
):
    handler = Recorder()
    smtp = smtp_server(handler)
    report = run_scorecards(settings, week=TARGET_WEEK, lang="en", out=tmp_path / "out", smtp=smtp)
    assert _mailed(report) == ["sent", "sent"]
    merchants = week_merchants(settings.warehouse)
    assert len(handler.messages) == 2
    by_to = {msg["To"]: (rcpts, msg) for rcpts, msg in handler.messages}
    rcpts, appliances = by_to["appliances@example.com"]
    assert sorted(rcpts) == ["appliances@example.com", "quality-lead@example.com"]
    assert _attachment_names(appliances) == {
        f"家用电器_{TARGET_WEEK}.xlsx",
        *(f"{m}_{TARGET_WEEK}.html" for m in merchants["家用电器"]),
    }
    rcpts, apparel = by_to["apparel@example.com"]
    assert rcpts == ["apparel@example.com"]
    assert _attachment_names(apparel) == {
        f"Apparel_Shoes_{TARGET_WEEK}.xlsx",
        *(f"{m}_{TARGET_WEEK}.html" for m in merchants["Apparel/Shoes"]),
    }
    # The attached card is the file written to disk, byte for byte.
    part = next(p for p in appliances.iter_attachments() if p.get_filename().startswith(MERCHANT))
    written = tmp_path / "out" / "家用电器" / f"{MERCHANT}.html"
    assert part.get_payload(decode=True) == written.read_bytes()
    assert PLANTED_PHONE not in appliances.as_string()
    # The body words each merchant's grade explanation in the e-mail's language.
    (row,) = mart_rows(
        settings.warehouse,
        "select * from marts.merchant_scorecard_weekly where merchant_id = ? and iso_week = ?",
        [MERCHANT, TARGET_WEEK],
    )
    body = appliances.get_body(("plain",)).get_content()
    assert grade_explanation(row, "en") in body
    # RFC 5322 date in the platform zone (Asia/Shanghai), not "-0000" (zone unknown).
    assert appliances["Date"].endswith("+0800")
    ledger = json.loads(settings.delivery_ledger.read_text(encoding="utf-8"))
    sent = {(e["week"], e["category"]): e for e in ledger["deliveries"]}
    assert sent[(TARGET_WEEK, "家用电器")]["message_id"] == appliances["Message-ID"]


def test_rerun_of_the_same_week_does_not_send_twice(settings, recipients, smtp_server, tmp_path):
    handler = Recorder()
    smtp = smtp_server(handler)
    run_scorecards(settings, week=TARGET_WEEK, out=tmp_path / "a", smtp=smtp)
    report = run_scorecards(settings, week=TARGET_WEEK, out=tmp_path / "b", smtp=smtp)
    assert _mailed(report) == ["already_sent", "already_sent"]
    assert len(handler.messages) == 2
    report = run_scorecards(
        settings, week=TARGET_WEEK, out=tmp_path / "c", smtp=smtp, resend=True, category="家用电器"
    )
    assert [d.status for d in report.deliveries] == ["sent"]
    assert len(handler.messages) == 3


def test_transient_failure_is_retried_with_backoff(settings, recipients, smtp_server, tmp_path):
    handler = Recorder(refuse_first=2)
    smtp = smtp_server(handler)
    report = run_scorecards(
        settings, week=TARGET_WEEK, out=tmp_path / "out", smtp=smtp, category="家用电器"
    )
    (delivery,) = report.deliveries
    assert delivery.status == "sent" and delivery.attempts == 3
    assert handler.calls == 3 and len(handler.messages) == 1


def test_persistent_failure_is_reported_not_dropped(settings, recipients, smtp_server, tmp_path):
    handler = Recorder(refuse_first=100)
    smtp = smtp_server(handler)
    with pytest.raises(DeliveryFailed, match="not delivered") as failure:
        run_scorecards(settings, week=TARGET_WEEK, out=tmp_path / "out", smtp=smtp)
    report = failure.value.report
    assert _mailed(report) == ["failed", "failed"]
    assert handler.calls == 2 * settings.smtp_attempts
    assert all("451" in d.detail for d in report.deliveries if d.status == "failed")
    assert (tmp_path / "out" / "index.html").exists()  # the files are written regardless
    ledger = json.loads(settings.delivery_ledger.read_text(encoding="utf-8"))
    assert not ledger["deliveries"] and len(ledger["failures"]) == 2
    # Nothing counts as sent: the next run tries again.
    handler.refuse_first = 0
    report = run_scorecards(settings, week=TARGET_WEEK, out=tmp_path / "out", smtp=smtp)
    assert _mailed(report) == ["sent", "sent"]


def test_permanent_failure_is_not_retried(settings, recipients, smtp_server, tmp_path):
    handler = Recorder(refuse_first=100, code="554 5.7.1 rejected")
    smtp = smtp_server(handler)
    with pytest.raises(DeliveryFailed, match="permanent"):
        run_scorecards(
            settings, week=TARGET_WEEK, out=tmp_path / "out", smtp=smtp, category="家用电器"
        )
    assert handler.calls == 1


def test_closed_port_is_retried_then_reported(settings, recipients, tmp_path):
    smtp = SmtpSettings(
        host="127.0.0.1", port=free_port(), sender="s@example.com", starttls=False, timeout=2
    )
    with pytest.raises(DeliveryFailed) as failure:
        run_scorecards(
            settings, week=TARGET_WEEK, out=tmp_path / "out", smtp=smtp, category="家用电器"
        )
    (delivery,) = failure.value.report.deliveries
    assert delivery.attempts == settings.smtp_attempts
    assert "ConnectionRefusedError" in delivery.detail


def test_without_smtp_or_recipients_files_only(settings, smtp_server, tmp_path):
    report = run_scorecards(settings, week=TARGET_WEEK, out=tmp_path / "out", smtp=None)
    assert {d.status for d in report.deliveries} == {"files_only"}
    settings.recipients_file.write_text("家用电器: a@example.com\n", encoding="utf-8")
    handler = Recorder()
    report = run_scorecards(
        settings, week=TARGET_WEEK, out=tmp_path / "out", smtp=smtp_server(handler)
    )
    statuses = {d.category: d.status for d in report.deliveries}
    assert statuses.pop("家用电器") == "sent" and set(statuses.values()) == {"no_recipients"}
    assert "Apparel/Shoes" in statuses


def test_smtp_settings_from_environment():
    assert smtp_from_env({}) is None
    smtp = smtp_from_env(
        {
            "COMPLAINTS_SMTP_HOST": "mail.example.com",
            "COMPLAINTS_SMTP_USER": "bot@example.com",
            "COMPLAINTS_SMTP_PASSWORD": "secret",
        }
    )
    assert (smtp.port, smtp.starttls, smtp.sender) == (587, True, "bot@example.com")
    assert "secret" not in repr(smtp)
    plain = smtp_from_env(
        {
            "COMPLAINTS_SMTP_HOST": "h",
            "COMPLAINTS_SMTP_FROM": "a@b.c",
            "COMPLAINTS_SMTP_STARTTLS": "false",
        }
    )
    assert (plain.port, plain.starttls) == (25, False)
    with pytest.raises(UserError, match="FROM"):
        smtp_from_env({"COMPLAINTS_SMTP_HOST": "h"})
    with pytest.raises(UserError, match="STARTTLS"):
        smtp_from_env(
            {
                "COMPLAINTS_SMTP_HOST": "h",
                "COMPLAINTS_SMTP_FROM": "a@b.c",
                "COMPLAINTS_SMTP_STARTTLS": "maybe",
            }
        )


def test_bad_recipients_file_names_file_and_category(settings, smtp_server, tmp_path):
    settings.recipients_file.write_text("家用电器:\n  to: [not-an-address]\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"recipients\.yml.*家用电器.*not-an-address"):
        run_scorecards(
            settings, week=TARGET_WEEK, out=tmp_path / "out", smtp=smtp_server(Recorder())
        )
