"""``complaints scorecards``: write (and, when SMTP is configured, mail) the weekly scorecards."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.cli.shared import WarehouseOpt, app, clean_errors, err_console, option, settings_for
from flows.errors import UserError
from flows.i18n import say
from flows.scorecard.labels import LANGUAGES


@app.command(help=say("cmd_scorecards"))
@clean_errors
def scorecards(
    week: Annotated[str | None, option("--week", words="opt_week")] = None,
    category: Annotated[str | None, option("--category", words="opt_category")] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help=say("opt_lang", choices=" / ".join(f"'{x}'" for x in LANGUAGES)),
            show_default=False,
        ),
    ] = None,
    warehouse: WarehouseOpt = None,
    out: Annotated[Path | None, option("--out", words="opt_sc_out")] = None,
    send: Annotated[
        bool,
        typer.Option("--send/--no-send", help=say("opt_send")),
    ] = True,
    resend: Annotated[
        bool,
        typer.Option("--resend", help=say("opt_resend")),
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
        raise UserError("err_bad_lang", choices=" / ".join(f"'{x}'" for x in LANGUAGES))
    settings = settings_for(warehouse=warehouse)
    smtp = smtp_from_env(timeout=settings.smtp_timeout_seconds) if send else None
    if send and smtp is None:
        err_console.print(say("smtp_off"), highlight=False)
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
