"""Handing a message to apprise, with retries: every scheme apprise knows works from its URL
(dingtalk://, wecombot://, feishu://, lark://, mailto:// and mailtos://, json:// webhooks …)."""

from __future__ import annotations

import logging
import time

from flows.errors import UserError

log = logging.getLogger(__name__)


def deliver(url: str, title: str, body: str, attempts: int, backoff_seconds: float) -> str | None:
    """Send one message; None when delivered, else the last error (after ``attempts`` tries)."""
    import apprise  # a Prefect dependency too; imported when alerts are sent

    notifier = apprise.Apprise()
    if not notifier.add(url):
        raise UserError("err_alert_url")
    error = "not attempted"
    for attempt in range(1, max(attempts, 1) + 1):
        with apprise.LogCapture(level=logging.WARNING) as captured:
            delivered = notifier.notify(title=title, body=body)
        if delivered:
            return None
        lines = [ln for ln in captured.getvalue().splitlines() if ln.strip()]
        error = lines[-1] if lines else "the receiver did not accept the message"
        log.warning("alert delivery attempt %d of %d failed: %s", attempt, attempts, error)
        if attempt < attempts:
            time.sleep(backoff_seconds * 2 ** (attempt - 1))
    return error
