"""The whole scorecard run as one plain function: what ``complaints scorecards`` and the
``weekly-scorecards`` Prefect flow both call."""

from __future__ import annotations

from pathlib import Path

from flows import formatting as fmt
from flows.config import Settings
from flows.landing.pii import phone_patterns_in_use
from flows.scorecard.delivery import DeliveryRun, deliver_category
from flows.scorecard.labels import Labels
from flows.scorecard.ledger import DeliveryLedger
from flows.scorecard.mailer import SmtpSettings
from flows.scorecard.paths import default_out_dir
from flows.scorecard.produce import read_cards, write_all
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
) -> ScorecardReport:
    """Write every file, then mail each category team (when ``deliver`` and ``smtp``).

    Raises DeliveryFailed (carrying the report) after trying every category if any failed.
    """
    with phone_patterns_in_use(settings.phone_patterns()):
        return _run(settings, week, category, lang, out, smtp, deliver, resend)


def _run(
    settings: Settings,
    week: str | None,
    category: str | None,
    lang: str | None,
    out: Path | None,
    smtp: SmtpSettings | None,
    deliver: bool,
    resend: bool,
) -> ScorecardReport:
    lang = lang or settings.scorecard_language
    Labels(lang)  # reject an unknown language before any work
    iso_week = resolve_week(settings.warehouse, week, settings)
    cards = read_cards(settings.warehouse, iso_week, settings, lang, category)
    out_dir = out or default_out_dir(settings, cards.week)
    written, index = write_all(cards, out_dir, settings, lang)
    report = ScorecardReport(cards.week.label, out_dir, index, written)
    if deliver:
        recipients = load_recipients(settings.recipients_file)
        report.warnings.extend(unknown_recipient_categories(recipients, settings))
        ledger = DeliveryLedger(settings.delivery_ledger)
        as_of = fmt.local_time(cards.as_of, cards.timezone)
        run = DeliveryRun(cards.week, as_of, smtp, ledger, settings, lang, resend=resend)
        for files, group in zip(written, cards.categories, strict=True):
            report.deliveries.append(
                deliver_category(run, files, group, recipients.get(group.category))
            )
    report.raise_for_failures()
    return report


def unknown_recipient_categories(recipients: dict, settings: Settings) -> list[str]:
    """A recipients entry whose category the marts do not know would never be mailed: say so."""
    known = set(scorecard_categories(settings.warehouse))
    return [
        f"{settings.recipients_file} names category {category!r}, which the marts do not have "
        f"(known: {', '.join(sorted(known))}); its addresses receive nothing"
        for category in sorted(set(recipients) - known)
    ]
