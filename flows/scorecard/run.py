"""The whole scorecard run as one plain function: what ``complaints scorecards`` and the
``weekly-scorecards`` Prefect flow both call."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flows import formatting as fmt
from flows.config import Settings
from flows.i18n import say
from flows.landing.pii import phone_patterns_in_use
from flows.scorecard.delivery import DeliveryRun, deliver_category
from flows.scorecard.index_page import write_index
from flows.scorecard.labels import Labels
from flows.scorecard.ledger import DeliveryLedger
from flows.scorecard.mailer import SmtpSettings
from flows.scorecard.paths import default_out_dir
from flows.scorecard.produce import read_cards, write_category
from flows.scorecard.queries import resolve_week, scorecard_categories
from flows.scorecard.recipients import load_recipients
from flows.scorecard.report import ScorecardReport


def run_scorecards(
    settings: Settings,
    week: str | None = None,
    category: str | None = None,
    lang: str | None = None,
    out: Path | None = None,
    smtp: SmtpSettings | None = None,
    deliver: bool = True,
    resend: bool = False,
    stage: Stage | None = None,
    on_stage_done: Callable[[str], None] | None = None,
) -> ScorecardReport:
    """Write every file, then mail each category team (when ``deliver`` and ``smtp``).

    ``stage(name)`` wraps each step ("read", "write", "mail") and yields its progress callback
    (the command line's bars); ``on_stage_done`` gets each step's one-line summary.
    Raises DeliveryFailed (carrying the report) after trying every category if any failed.
    """
    steps = _Steps(stage or _no_progress, on_stage_done or (lambda _: None))
    with phone_patterns_in_use(settings.phone_patterns()):
        return _run(settings, week, category, lang, out, smtp, deliver, resend, steps)


def _run(
    settings: Settings,
    week: str | None,
    category: str | None,
    lang: str | None,
    out: Path | None,
    smtp: SmtpSettings | None,
    deliver: bool,
    resend: bool,
    steps: _Steps,
) -> ScorecardReport:
    lang = lang or settings.scorecard_language
    Labels(lang)  # reject an unknown language before any work
    iso_week = resolve_week(settings.warehouse, week, settings)
    with steps.stage("read") as progress:
        cards = read_cards(settings.warehouse, iso_week, settings, lang, category)
        _advance(progress, 1, "cards")
    n_cards = sum(len(c.merchants) for c in cards.categories)
    steps.done(f"read {n_cards:,} merchants' cards in {len(cards.categories)} categories")
    out_dir = out or default_out_dir(settings, cards.week)
    with steps.stage("write") as progress:
        written = []
        for group in cards.categories:
            written.append(write_category(cards, group, out_dir, settings, lang))
            _advance(progress, len(cards.categories), group.category)
        index = write_index(cards, out_dir, Labels(lang))
    steps.done(f"wrote {len(written)} workbooks and {n_cards:,} cards to {out_dir}")
    report = ScorecardReport(cards.week.label, out_dir, index, written)
    if deliver:
        recipients = load_recipients(settings.recipients_file)
        report.warnings.extend(unknown_recipient_categories(recipients, settings))
        ledger = DeliveryLedger(settings.delivery_ledger)
        as_of = fmt.local_time(cards.as_of, cards.timezone)
        run = DeliveryRun(cards.week, as_of, smtp, ledger, settings, lang, resend=resend)
        with steps.stage("mail") as progress:
            for files, group in zip(written, cards.categories, strict=True):
                report.deliveries.append(
                    deliver_category(run, files, group, recipients.get(group.category))
                )
                _advance(progress, len(cards.categories), group.category)
        failed = sum(d.failed for d in report.deliveries)
        steps.done(f"mail: {len(report.deliveries)} categories handled, {failed} failed")
    report.raise_for_failures()
    return report


Stage = Callable[[str], AbstractContextManager[Any]]


@dataclass(frozen=True)
class _Steps:
    stage: Stage
    done: Callable[[str], None]


@contextmanager
def _no_progress(name: str) -> Iterator[None]:
    yield None


def _advance(progress: Callable[[int | None, str], None] | None, total: int, what: str) -> None:
    if progress is not None:
        progress(total, what)


def unknown_recipient_categories(recipients: dict, settings: Settings) -> list[str]:
    """A recipients entry whose category the marts do not know would never be mailed: say so."""
    known = set(scorecard_categories(settings.warehouse))
    return [
        say(
            "warn_unknown_recipient_category",
            path=settings.recipients_file,
            category=repr(category),
            known=", ".join(sorted(known)),
        )
        for category in sorted(set(recipients) - known)
    ]
