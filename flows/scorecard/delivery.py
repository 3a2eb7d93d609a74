"""Delivering a week's files: one email per category team, recorded in the ledger.

Outcomes are explicit for every category — sent, already sent (ledger), no recipients, files only
(no SMTP configured) or failed — so nothing is dropped silently; the caller turns failures into a
non-zero exit.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage

from flows import formatting as fmt
from flows.config import Settings
from flows.i18n import say
from flows.scorecard.cards import CategoryCards
from flows.scorecard.labels import Labels
from flows.scorecard.ledger import DeliveryLedger
from flows.scorecard.mailer import (
    DeliveryError,
    SmtpSettings,
    build_message,
    send_once,
    send_with_retries,
)
from flows.scorecard.phone_mask import mask_phones
from flows.scorecard.produce import CategoryFiles
from flows.scorecard.recipients import Recipients
from flows.scorecard.weeks import IsoWeek

SENT, ALREADY_SENT, NO_RECIPIENTS, FILES_ONLY, FAILED, UNCONFIRMED = (
    "sent",
    "already_sent",
    "no_recipients",
    "files_only",
    "failed",
    "unconfirmed",
)


@dataclass
class DeliveryOutcome:
    category: str
    status: str
    recipients: list[str] = field(default_factory=list)
    message_id: str | None = None
    attempts: int = 0
    detail: str = ""

    @property
    def failed(self) -> bool:
        """Failed, or unconfirmed (may have arrived): both need a person, so the run fails."""
        return self.status in (FAILED, UNCONFIRMED)


_SUBJECT = {
    "zh": "商家质量周报 {week} · {category}",
    "en": "Merchant scorecards {week} · {category}",
}
_BODY_HEAD = {
    "zh": "{category} 类目 {week}（{start} – {end}）的商家质量周报，数据截至 {as_of}。\n"
    "附件：类目工作簿（XLSX）和每个商家的周报（HTML，可离线打开、A4 打印）。\n",
    "en": "Merchant scorecards of {category} for {week} ({start} – {end}), data as of {as_of}.\n"
    "Attached: the category workbook (XLSX) and one scorecard per merchant (HTML, opens offline, "
    "prints on A4).\n",
}


def compose(
    files: CategoryFiles,
    category: CategoryCards,
    week: IsoWeek,
    as_of: str,
    recipients: Recipients,
    sender: str,
    lang: str,
    timezone: str = "UTC",
) -> EmailMessage:
    """The category team's email: a short summary per merchant and every file attached."""
    labels = Labels(lang)
    lines = [
        _BODY_HEAD[lang].format(
            category=category.category, week=week.label, start=week.start, end=week.end, as_of=as_of
        )
    ]
    for card in category.merchants:
        if card.has_orders:
            row = card.row
            # The grade with the mature weeks it rests on; this week's rate marked provisional.
            explanation = fmt.grade_explanation(row, lang)
            grade = f"{labels['grade']} {row.get('grade') or fmt.DASH} ({explanation})"
            week_rate = f"{labels['defect_rate']} {fmt.pct(row.get('defect_rate'))}"
            if not row.get("is_mature", True):
                week_rate += f" ({labels['immature']})"
            summary = f"{grade} · {week_rate}"
            judged = [a for a in card.actions if a.get("evaluation") not in (None, "pending")]
            if judged:
                summary += " · " + ", ".join(
                    f"{a['action_id']} {labels.code(a['evaluation'])}" for a in judged[:3]
                )
            if card.recommendations:
                summary += f" · {card.recommendations[0].text}"
        elif not card.orders_loaded:
            summary = labels["no_orders_title"]
        else:
            summary = labels["no_activity_title"]
        lines.append(f"- {card.merchant_name} ({card.merchant_id}): {summary}")
    attachments = [(f"{files.workbook.stem}_{week.label}.xlsx", files.workbook)]
    attachments += [
        (f"{merchant_id}_{week.label}.html", path) for merchant_id, path in files.cards.items()
    ]
    return build_message(
        sender=sender,
        to=list(recipients.to),
        cc=list(recipients.cc),
        subject=mask_phones(_SUBJECT[lang].format(week=week.label, category=category.category)),
        body=mask_phones("\n".join(lines)),
        attachments=attachments,
        tag=f"{week.label}/{category.category}",
        timezone=timezone,
    )


@dataclass(frozen=True)
class DeliveryRun:
    """What every category's delivery of one run shares (the week, the server, the ledger…)."""

    week: IsoWeek
    as_of: str
    smtp: SmtpSettings | None
    ledger: DeliveryLedger
    settings: Settings
    lang: str
    resend: bool = False
    sleep: Callable[[float], None] = time.sleep
    send: Callable = send_once


def deliver_category(
    run: DeliveryRun,
    files: CategoryFiles,
    category: CategoryCards,
    recipients: Recipients | None,
) -> DeliveryOutcome:
    """Mail one category's files unless the ledger says it was already sent this week.

    Never raises: any failure of this category becomes its FAILED outcome (and a ledger entry),
    so the categories after it are still delivered.
    """
    try:
        return _deliver(run, files, category, recipients)
    except Exception as exc:  # e.g. a file that vanished, a bad header: this category only
        detail = f"{type(exc).__name__}: {exc}"
        with contextlib.suppress(Exception):
            run.ledger.record_failure(
                run.week.label, category.category, recipients.all if recipients else [], detail, 0
            )
        return DeliveryOutcome(category.category, FAILED, detail=detail)


def _deliver(
    run: DeliveryRun,
    files: CategoryFiles,
    category: CategoryCards,
    recipients: Recipients | None,
) -> DeliveryOutcome:
    week, smtp, ledger, settings = run.week, run.smtp, run.ledger, run.settings
    name = category.category
    if smtp is None:
        return DeliveryOutcome(name, FILES_ONLY, detail=say("delivery_no_smtp"))
    if recipients is None:
        return DeliveryOutcome(
            name,
            NO_RECIPIENTS,
            detail=say("delivery_no_recipients_in", path=settings.recipients_file),
        )
    previous = ledger.sent(week.label, name)
    if previous and not run.resend:
        return DeliveryOutcome(
            name,
            ALREADY_SENT,
            previous["recipients"],
            previous["message_id"],
            detail=say("delivery_sent_at", at=previous["sent_at"]),
        )
    pending = ledger.pending(week.label, name)
    if pending and not run.resend:
        return DeliveryOutcome(
            name,
            UNCONFIRMED,
            pending["recipients"],
            pending["message_id"],
            pending.get("attempts", 0),
            detail=_unconfirmed_detail(pending["message_id"]),
        )
    message = compose(
        files, category, week, run.as_of, recipients, smtp.sender, run.lang, settings.timezone
    )
    if pending:  # resending a message that may have arrived: the same Message-ID marks the copy
        message.replace_header("Message-ID", pending["message_id"])
    ledger.record_pending(week.label, name, recipients.all, message["Message-ID"])
    try:
        refused, attempts = send_with_retries(
            message,
            smtp,
            settings.smtp_attempts,
            settings.smtp_backoff_seconds,
            run.sleep,
            run.send,
        )
    except DeliveryError as exc:
        if exc.unconfirmed:
            ledger.mark_unconfirmed(week.label, name, str(exc), exc.attempts)
            return DeliveryOutcome(
                name,
                UNCONFIRMED,
                recipients.all,
                message["Message-ID"],
                exc.attempts,
                detail=f"{exc}; {_unconfirmed_detail(message['Message-ID'])}",
            )
        ledger.record_failure(week.label, name, recipients.all, str(exc), exc.attempts)
        return DeliveryOutcome(name, FAILED, recipients.all, attempts=exc.attempts, detail=str(exc))
    ledger.record_sent(
        week.label,
        name,
        recipients.all,
        message["Message-ID"],
        [part.get_filename() for part in message.iter_attachments()],
        attempts,
        refused,
    )
    if refused:  # sent to the others; the refused addresses are reported, not silently lost
        return DeliveryOutcome(
            name,
            FAILED,
            recipients.all,
            message["Message-ID"],
            attempts,
            detail=say("delivery_refused", addresses=", ".join(sorted(refused))),
        )
    return DeliveryOutcome(name, SENT, recipients.all, message["Message-ID"], attempts)


def _unconfirmed_detail(message_id: str) -> str:
    return say("delivery_unconfirmed_detail", message_id=message_id)
