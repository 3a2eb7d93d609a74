"""The ``weekly-scorecards`` Prefect flow: read the marts, write every category's scorecards and
the index, mail each category team, and record the run's results as artifacts.

Tasks are thin wrappers over ``flows.scorecard``. Sending retries with exponential backoff
inside the delivery task (``flows.scorecard.mailer.send_with_retries``), where the ledger is
consulted before and written after each message, so a retried task can never mail twice.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE

from flows.config import Settings, load_settings
from flows.run_artifacts import artifact_key, publish_table
from flows.scorecard import formatting as fmt
from flows.scorecard.cards import CategoryCards, WeekCards
from flows.scorecard.delivery import DeliveryOutcome, deliver_category
from flows.scorecard.index_page import write_index
from flows.scorecard.labels import Labels
from flows.scorecard.ledger import DeliveryLedger
from flows.scorecard.mailer import smtp_from_env
from flows.scorecard.paths import default_out_dir
from flows.scorecard.produce import CategoryFiles, read_cards, write_category
from flows.scorecard.queries import resolve_week
from flows.scorecard.recipients import load_recipients
from flows.scorecard.report import ScorecardReport


@task(cache_policy=NONE)
def read_week_cards(
    warehouse: Path, week: str | None, category: str | None, settings: Settings, lang: str
) -> WeekCards:
    """The week's merchant cards from the marts, with their recommendations."""
    iso_week = resolve_week(warehouse, week, settings)
    return read_cards(warehouse, iso_week, settings, lang, category)


@task(cache_policy=NONE)
def write_category_files(
    cards: WeekCards, category: CategoryCards, out_dir: Path, settings: Settings, lang: str
) -> CategoryFiles:
    """One category's HTML cards and workbook."""
    return write_category(cards, category, out_dir, settings, lang)


@task(cache_policy=NONE)
def write_index_page(cards: WeekCards, out_dir: Path, lang: str) -> Path:
    return write_index(cards, out_dir, Labels(lang))


@task(cache_policy=NONE)
def mail_category(
    files: CategoryFiles,
    category: CategoryCards,
    cards: WeekCards,
    settings: Settings,
    lang: str,
    resend: bool,
) -> DeliveryOutcome:
    """Mail one category team (bounded retries with backoff inside; ledger-guarded)."""
    recipients = load_recipients(settings.recipients_file).get(category.category)
    return deliver_category(
        files,
        category,
        cards.week,
        fmt.local_time(cards.as_of, cards.timezone),
        recipients,
        smtp_from_env(timeout=settings.smtp_timeout_seconds),
        DeliveryLedger(settings.delivery_ledger),
        settings,
        lang,
        resend=resend,
    )


@flow(name="weekly-scorecards", log_prints=True)
def weekly_scorecards(
    week: str | None = None,
    category: str | None = None,
    lang: str | None = None,
    warehouse: str | None = None,
    out: str | None = None,
    deliver: bool = True,
    resend: bool = False,
    config_file: str | None = None,
) -> ScorecardReport:
    """Weekly merchant scorecards for every category (or one), delivered to category teams.

    Defaults: the last complete ISO week before the build's ``as_of``, the configured language,
    ``<reports>/scorecards/<week>/``. Fails (after writing every file and trying every
    category) when a category's email could not be sent.
    """
    logger = get_run_logger()
    settings = load_settings(config_file).with_paths(warehouse=warehouse)
    lang = lang or settings.scorecard_language
    Labels(lang)  # reject an unknown language before any work
    cards = read_week_cards(settings.warehouse, week, category, settings, lang)
    out_dir = Path(out) if out else default_out_dir(settings, cards.week)
    written = [
        write_category_files(cards, group, out_dir, settings, lang) for group in cards.categories
    ]
    index = write_index_page(cards, out_dir, lang)
    report = ScorecardReport(cards.week.label, out_dir, index, written)
    if deliver:
        for files, group in zip(written, cards.categories, strict=True):
            report.deliveries.append(mail_category(files, group, cards, settings, lang, resend))
    key = artifact_key(f"scorecards-{cards.week.label}")
    publish_table(f"{key}-files", report.file_rows(), f"Scorecard files for {cards.week.label}")
    publish_table(f"{key}-deliveries", report.delivery_rows(), f"Deliveries for {cards.week.label}")
    create_markdown_artifact(report.markdown(), key=key, description="Scorecard run summary")
    logger.info(report.summary())
    report.raise_for_failures()
    return report
