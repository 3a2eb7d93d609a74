"""``complaints scorecards``: write (and, when SMTP is configured, mail) the weekly scorecards."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.cli.shared import WarehouseOpt, app, clean_errors, err_console, settings_for
from flows.scorecard.labels import LANGUAGES


@app.command()
@clean_errors
def scorecards(
    week: Annotated[
        str | None,
        typer.Option(
            "--week",
            help="ISO week, e.g. 2026-W47 [default: the last complete week before the build's "
            "as_of].",
            show_default=False,
        ),
    ] = None,
    category: Annotated[
        str | None,
        typer.Option(
            "--category", help="Only this category [default: every category].", show_default=False
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", help=f"Language: {' or '.join(LANGUAGES)} [default: zh].", show_default=False
        ),
    ] = None,
    warehouse: WarehouseOpt = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Output folder [default: data/reports/scorecards/<week>/].",
            show_default=False,
        ),
    ] = None,
    send: Annotated[
        bool,
        typer.Option("--send/--no-send", help="Mail each category team when SMTP is configured."),
    ] = True,
    resend: Annotated[
        bool,
        typer.Option("--resend", help="Mail again a week the delivery ledger says was sent."),
    ] = False,
) -> None:
    """Write the weekly merchant scorecards and mail them to each category team.

    One HTML card per merchant, one XLSX workbook per category and an index page; each category
    team gets one email when SMTP is configured (COMPLAINTS_SMTP_*), else files only.
    """
    from flows.cli.progress import stage_progress
    from flows.scorecard.mailer import smtp_from_env
    from flows.scorecard.report import DeliveryFailed
    from flows.scorecard.run import run_scorecards

    if lang is not None and lang not in LANGUAGES:
        raise typer.BadParameter(f"choose one of {', '.join(LANGUAGES)}", param_hint="--lang")
    settings = settings_for(warehouse=warehouse)
    smtp = smtp_from_env(timeout=settings.smtp_timeout_seconds) if send else None
    if send and smtp is None:
        err_console.print(
            "SMTP is not configured (COMPLAINTS_SMTP_HOST is unset): writing files only, "
            "nothing is mailed."
        )
    try:
        report = run_scorecards(
            settings,
            week=week,
            category=category,
            lang=lang,
            out=out,
            smtp=smtp,
            deliver=send,
            resend=resend,
            stage=stage_progress,
            on_stage_done=err_console.print,
        )
    except DeliveryFailed as exc:
        typer.echo(exc.report.summary())
        raise
    typer.echo(report.summary())
