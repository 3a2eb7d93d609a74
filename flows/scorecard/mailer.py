"""Sending one category's scorecards by SMTP, with bounded retries and exponential backoff.

Settings come from the environment (``COMPLAINTS_SMTP_HOST``, ``_PORT``, ``_USER``,
``_PASSWORD``, ``_FROM``, ``_STARTTLS``; see .env.example); without a host, nothing is mailed.
Transient failures (connection refused or dropped, timeouts, 4xx replies) are retried;
permanent ones (5xx: bad address, authentication refused) fail at once.
"""

from __future__ import annotations

import contextlib
import mimetypes
import os
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from zoneinfo import ZoneInfo

from flows.errors import UserError

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = True
    timeout: float = 30.0

    @property
    def implicit_tls(self) -> bool:
        """Port 465 speaks TLS from the first byte (SMTPS)."""
        return self.port == 465


def smtp_from_env(
    environ: Mapping[str, str] | None = None, timeout: float = 30.0
) -> SmtpSettings | None:
    """The SMTP settings from the environment, or None when no host is configured."""
    env = os.environ if environ is None else environ
    host = env.get("COMPLAINTS_SMTP_HOST", "").strip()
    if not host:
        return None
    flag = env.get("COMPLAINTS_SMTP_STARTTLS", "true").strip().lower()
    if flag not in _TRUE | _FALSE:
        raise UserError("err_smtp_starttls", flag=repr(flag))
    starttls = flag in _TRUE
    port_text = env.get("COMPLAINTS_SMTP_PORT", "").strip()
    try:
        port = int(port_text) if port_text else (587 if starttls else 25)
    except ValueError:
        raise UserError("err_smtp_port", port=repr(port_text)) from None
    user = env.get("COMPLAINTS_SMTP_USER") or None
    sender = (env.get("COMPLAINTS_SMTP_FROM") or user or "").strip()
    if "@" not in sender:
        raise UserError("err_smtp_from")
    return SmtpSettings(
        host=host,
        port=port,
        sender=sender,
        user=user,
        password=env.get("COMPLAINTS_SMTP_PASSWORD") or None,
        starttls=starttls,
        timeout=timeout,
    )


def header_value(text: str) -> str:
    """A header value without line breaks or control characters (each run becomes one space).

    A CR or LF in a header would start a new header (injection) and Python's email package
    refuses it with an exception; a category or merchant name comes from the data, so it is
    cleaned, not trusted.
    """
    cleaned = "".join(" " if ord(ch) < 32 or ord(ch) == 127 else ch for ch in text)
    return " ".join(cleaned.split())


def build_message(
    sender: str,
    to: list[str],
    cc: list[str],
    subject: str,
    body: str,
    attachments: list[tuple[str, Path]],
    tag: str,
    timezone: str = "UTC",
) -> EmailMessage:
    """A plain-text message with the files attached under the given names.

    The ``Date`` header carries the platform zone's offset (RFC 5322 ``+0800``), not ``-0000``,
    which tells a mail client the sender's zone is unknown.
    """
    message = EmailMessage()
    message["From"] = header_value(sender)
    message["To"] = header_value(", ".join(to))
    if cc:
        message["Cc"] = header_value(", ".join(cc))
    message["Subject"] = header_value(subject)
    message["Date"] = format_datetime(datetime.now(ZoneInfo(timezone)))
    message["Message-ID"] = make_msgid(domain=header_value(sender.rsplit("@", 1)[-1]))
    message["X-Complaints-Scorecard"] = header_value(tag)
    message.set_content(body)
    for name, path in attachments:
        kind = XLSX_TYPE if path.suffix == ".xlsx" else mimetypes.guess_type(path.name)[0]
        maintype, subtype = (kind or "application/octet-stream").split("/", 1)
        message.add_attachment(
            path.read_bytes(), maintype=maintype, subtype=subtype, filename=header_value(name)
        )
    return message


class DeliveryError(Exception):
    """A message that could not be sent after every allowed attempt.

    ``unconfirmed``: the server had the whole message when the connection failed, so it may
    have been delivered; it is not retried (a retry would be a second copy).
    """

    def __init__(self, message: str, attempts: int, unconfirmed: bool = False) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.unconfirmed = unconfirmed


class UnconfirmedSend(Exception):
    """The server accepted DATA and received the message, but its final reply never came."""


class _MarksDataPhase:
    """Notes when the server says 354 to DATA: from then on it may deliver the message, so a
    failure is no longer safe to retry (a lost final reply gave several identical copies)."""

    in_data = False
    message_handed_over = False

    def data(self, msg):  # type: ignore[no-untyped-def]
        self.in_data = True
        try:
            return super().data(msg)  # type: ignore[misc]
        finally:
            self.in_data = False

    def getreply(self):  # type: ignore[no-untyped-def]
        code, text = super().getreply()  # type: ignore[misc]
        if self.in_data and code == 354:
            self.message_handed_over = True
        return code, text


class _SMTP(_MarksDataPhase, smtplib.SMTP):
    pass


class _SMTPS(_MarksDataPhase, smtplib.SMTP_SSL):
    pass


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    # Dropped or refused connections, timeouts, TLS hiccups.
    return isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError | OSError)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = (
            exc.smtp_error.decode(errors="replace")
            if isinstance(exc.smtp_error, bytes)
            else exc.smtp_error
        )
        return f"{exc.smtp_code} {text}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{addr}: {code}" for addr, (code, _) in exc.recipients.items())
    return f"{type(exc).__name__}: {exc}"


def send_once(message: EmailMessage, smtp: SmtpSettings) -> dict[str, str]:
    """Send ``message``; return the recipients the server refused (empty when all accepted)."""
    context = ssl.create_default_context()
    if smtp.implicit_tls:
        client: _SMTP | _SMTPS = _SMTPS(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
    else:
        client = _SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    try:
        client.ehlo()
        if smtp.starttls and not smtp.implicit_tls:
            client.starttls(context=context)
            client.ehlo()
        if smtp.user:
            client.login(smtp.user, smtp.password or "")
        refused = client.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        if client.message_handed_over and not isinstance(exc, smtplib.SMTPResponseException):
            raise UnconfirmedSend(_describe(exc)) from exc
        raise
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            client.quit()  # the message is accepted already: a failed QUIT changes nothing
        client.close()
    return {addr: f"{code} {text!r}" for addr, (code, text) in refused.items()}


def send_with_retries(
    message: EmailMessage,
    smtp: SmtpSettings,
    attempts: int,
    backoff_seconds: float,
    sleep: Callable[[float], None] = time.sleep,
    send: Callable[[EmailMessage, SmtpSettings], dict[str, str]] = send_once,
) -> tuple[dict[str, str], int]:
    """Send with up to ``attempts`` tries, waiting backoff × 2^(n-1) seconds between them.

    Returns (refused recipients, attempts used); raises DeliveryError when every try failed or
    the failure is permanent.
    """
    attempts = max(1, attempts)
    errors: list[str] = []
    for attempt in range(1, attempts + 1):
        try:
            return send(message, smtp), attempt
        except UnconfirmedSend as exc:
            errors.append(f"attempt {attempt}: {exc}")
            raise DeliveryError(
                f"no final reply after the server received the message ({'; '.join(errors)})",
                attempt,
                unconfirmed=True,
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            errors.append(f"attempt {attempt}: {_describe(exc)}")
            if not _is_transient(exc):
                raise DeliveryError(
                    f"permanent SMTP failure ({'; '.join(errors)})", attempt
                ) from exc
            if attempt < attempts:
                sleep(backoff_seconds * 2 ** (attempt - 1))
    raise DeliveryError(f"gave up after {attempts} attempts ({'; '.join(errors)})", attempts)
