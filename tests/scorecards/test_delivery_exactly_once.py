"""Email exactly once, against a local SMTP server on 127.0.0.1 that loses its final reply.

A lost or late reply after the server received the message used to be retried (4 identical
copies in one run, a 5th on the next); a category name with CR/LF raised and stopped the delivery
of every later category. Now: a ledger entry before sending, reconciled after; an unconfirmed
send is never repeated automatically; a resend reuses its Message-ID; header values are cleaned;
one category's failure never stops the others.
"""

from __future__ import annotations

import asyncio
import email
import json
import shutil
from email import policy

import duckdb
import pytest

from flows.scorecard.report import DeliveryFailed
from flows.scorecard.run import run_scorecards
from tests.scorecards.planted import TARGET_WEEK

RECIPIENTS = """\
家用电器: appliances@example.com
Apparel/Shoes: apparel@example.com
"""


class FaultyServer:
    """Keeps every message it receives; then replies late, drops the connection, or replies."""

    def __init__(self, fault: str | None = None, delay: float = 3.0, faulty_calls: int = 99):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.fault, self.delay, self.faulty_calls, self.calls = fault, delay, faulty_calls, 0

    async def handle_DATA(self, server, session, envelope):
        self.calls += 1
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        if self.calls <= self.faulty_calls:
            if self.fault == "slow":
                await asyncio.sleep(self.delay)  # longer than the client waits
            elif self.fault == "drop":
                server.transport.close()  # the message is in, the reply never leaves
        return "250 OK"

    def copies(self, to: str) -> list[email.message.EmailMessage]:
        return [msg for rcpts, msg in self.messages if to in rcpts]


@pytest.fixture
def recipients(settings):
    settings.recipients_file.write_text(RECIPIENTS, encoding="utf-8")


def _run(settings, smtp, tmp_path, **options):
    try:
        return run_scorecards(
            settings, week=TARGET_WEEK, out=tmp_path / "out", smtp=smtp, **options
        )
    except DeliveryFailed as failed:
        return failed.report


def _mailed(report) -> dict[str, str]:
    """Category -> delivery status, for the categories with recipients."""
    return {d.category: d.status for d in report.deliveries if d.status != "no_recipients"}


def _ledger(settings) -> dict:
    return json.loads(settings.delivery_ledger.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fault", ["slow", "drop"])
def test_a_lost_final_reply_gives_one_copy_and_no_resend_on_the_next_run(
    settings, recipients, smtp_server, tmp_path, fault
):
    server = FaultyServer(fault)
    smtp = smtp_server(server, timeout=1.0)
    first = _run(settings, smtp, tmp_path)
    assert _mailed(first) == {"家用电器": "unconfirmed", "Apparel/Shoes": "unconfirmed"}
    assert len(server.copies("appliances@example.com")) == 1  # was 4 (retried after DATA)
    outcome = next(d for d in first.deliveries if d.category == "家用电器")
    assert "--resend" in outcome.detail and outcome.message_id in outcome.detail
    pending = {e["category"]: e for e in _ledger(settings)["pending"]}
    copy = server.copies("appliances@example.com")[0]
    assert pending["家用电器"]["message_id"] == copy["Message-ID"]
    # The next run (the schedule's next try) sends nothing: the copy may be in the mailbox.
    second = _run(settings, smtp, tmp_path)
    assert set(_mailed(second).values()) == {"unconfirmed"}
    assert len(server.copies("appliances@example.com")) == 1


def test_a_resend_after_a_lost_reply_reuses_the_message_id(
    settings, recipients, smtp_server, tmp_path
):
    server = FaultyServer("drop", faulty_calls=2)
    smtp = smtp_server(server, timeout=1.0)
    _run(settings, smtp, tmp_path)
    report = _run(settings, smtp, tmp_path, resend=True)
    assert set(_mailed(report).values()) == {"sent"}
    first, again = server.copies("appliances@example.com")
    assert first["Message-ID"] == again["Message-ID"]
    ledger = _ledger(settings)
    assert ledger["pending"] == []
    sent = {e["category"]: e for e in ledger["deliveries"]}
    assert sent["家用电器"]["message_id"] == first["Message-ID"]
    # Once confirmed, a rerun sends nothing more.
    assert set(_mailed(_run(settings, smtp, tmp_path)).values()) == {"already_sent"}
    assert len(server.copies("appliances@example.com")) == 2


def test_ledger_entry_is_written_before_the_message_is_sent(
    settings, recipients, smtp_server, tmp_path
):
    seen_pending = []

    class Watching(FaultyServer):
        async def handle_DATA(self, server, session, envelope):
            seen_pending.append(list(_ledger(settings)["pending"]))
            return await super().handle_DATA(server, session, envelope)

    server = Watching()
    report = _run(settings, smtp_server(server, timeout=1.0), tmp_path)
    assert set(_mailed(report).values()) == {"sent"}
    assert seen_pending and all(len(entries) == 1 for entries in seen_pending)
    assert _ledger(settings)["pending"] == []


def _rename_category(warehouse, old: str, new: str) -> None:
    with duckdb.connect(str(warehouse)) as con:
        tables = con.execute(
            "select c.table_schema, c.table_name from information_schema.columns as c "
            "join information_schema.tables as t using (table_schema, table_name) "
            "where c.column_name = 'category' and t.table_type = 'BASE TABLE'"
        ).fetchall()
        for schema, table in tables:
            con.execute(
                f'update "{schema}"."{table}" set category = ? where category = ?', [new, old]
            )


def test_cr_lf_in_a_category_name_is_cleaned_and_every_category_is_delivered(
    settings, smtp_server, tmp_path
):
    import dataclasses

    hostile = "Apparel\r\nBcc: evil@example.com"
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(settings.warehouse, warehouse)
    _rename_category(warehouse, "Apparel/Shoes", hostile)
    settings = dataclasses.replace(settings, warehouse=warehouse)
    settings.recipients_file.write_text(
        "家用电器: appliances@example.com\n"
        '"Apparel\\r\\nBcc: evil@example.com": apparel@example.com\n',
        encoding="utf-8",
    )
    server = FaultyServer()
    report = _run(settings, smtp_server(server, timeout=1.0), tmp_path)
    assert set(_mailed(report).values()) == {"sent"} and len(_mailed(report)) == 2
    assert not server.copies("evil@example.com")
    (apparel,) = server.copies("apparel@example.com")
    assert "\r" not in apparel["Subject"] and "\n" not in apparel["Subject"]
    assert "Apparel Bcc: evil@example.com" in apparel["Subject"]
    assert len(server.copies("appliances@example.com")) == 1


def test_one_categorys_unexpected_failure_does_not_stop_the_others(
    settings, recipients, smtp_server, tmp_path, monkeypatch
):
    from flows.scorecard import delivery

    compose = delivery.compose

    def failing_compose(files, category, *args, **kwargs):
        if category.category == "Apparel/Shoes":
            raise OSError("attachment vanished")
        return compose(files, category, *args, **kwargs)

    monkeypatch.setattr(delivery, "compose", failing_compose)
    server = FaultyServer()
    report = _run(settings, smtp_server(server, timeout=1.0), tmp_path)
    assert _mailed(report) == {"Apparel/Shoes": "failed", "家用电器": "sent"}
    failures = _ledger(settings)["failures"]
    assert [f["category"] for f in failures] == ["Apparel/Shoes"]
    assert "attachment vanished" in failures[0]["error"]


def test_header_value_removes_line_breaks_and_controls():
    from flows.scorecard.mailer import header_value

    assert header_value("a\r\nBcc: x\tb\x00c") == "a Bcc: x b c"
