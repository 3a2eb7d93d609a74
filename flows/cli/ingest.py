"""``complaints ingest``: load the landing folder into the warehouse and print what happened."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from flows.cli.shared import LandingOpt, WarehouseOpt, app, clean_errors, option, settings_for
from flows.i18n import say
from flows.landing.pipeline import IngestReport

ProfilesOpt = Annotated[
    Path | None, option("--profiles", words="opt_profiles", envvar="COMPLAINTS_PROFILES")
]


def summary_table(report: IngestReport) -> Table:
    """One row per file: status, counts and the reason of a rejection or skip."""
    table = Table(title=say("ingest_title"), show_lines=False)
    for name, justify in (
        ("file", "left"),
        ("entity", "left"),
        ("profile", "left"),
        ("status", "left"),
        ("read", "right"),
        ("loaded", "right"),
        ("quarantined", "right"),
        ("duplicate", "right"),
        ("warnings", "right"),
        ("reason", "left"),
    ):
        table.add_column(say(f"col_{name}"), justify=justify)  # type: ignore[arg-type]
    for f in report.files:
        table.add_row(
            f.file_name,
            f.entity or "",
            f.profile or "",
            f"[{_status_style(f.status)}]{f.status}[/]",
            str(f.rows_read),
            str(f.rows_loaded),
            str(f.rows_quarantined),
            str(f.rows_duplicate),
            str(f.rows_warned),
            f.reason or "",
        )
    return table


StrictOpt = Annotated[bool, option("--strict", words="opt_strict", show_default=True)]
RetryRejectedOpt = Annotated[
    bool, option("--retry-rejected", words="opt_retry_rejected", show_default=True)
]


@app.command("ingest", help=say("cmd_ingest"))
@clean_errors
def ingest_command(
    landing: LandingOpt = None,
    warehouse: WarehouseOpt = None,
    profiles: ProfilesOpt = None,
    strict: StrictOpt = False,
    retry_rejected: RetryRejectedOpt = False,
) -> None:
    """Load the landing folder's exports into the warehouse (validated, idempotent)."""
    from flows.cli.progress import send_library_logs_to_file, stage_progress
    from flows.landing.pipeline import ingest_landing
    from flows.warehouse import publishing

    send_library_logs_to_file()
    settings = settings_for(landing=landing, warehouse=warehouse, profiles_file=profiles)
    if not settings.landing.is_dir():
        from flows.errors import UserError

        raise UserError("err_no_landing", path=settings.landing)
    with publishing(settings.warehouse) as database, stage_progress("ingest") as progress:
        report = ingest_landing(
            settings.landing, database, settings, progress=progress, retry_rejected=retry_rejected
        )
    print_ingest_report(report, settings.warehouse)
    if report.rejected or (strict and report.rejected_earlier):
        raise typer.Exit(1)


def print_ingest_report(report: IngestReport, warehouse: Path, published: bool = True) -> None:
    """The per-file table and a one-line total (wide enough to read in logs and CI too).

    ``published=False``: printed as soon as the ingest ends, before the build that publishes it.
    """
    console = Console(width=max(Console().width, 160))
    console.print(summary_table(report))
    loaded = sum(f.rows_loaded for f in report.files)
    quarantined = sum(f.rows_quarantined for f in report.files)
    for f in report.files:
        for note in f.notes:
            console.print(f"[yellow]{say('warning_prefix')}[/] {f.file_name}: {note}")
        if f.rejected_earlier:
            console.print(f"[yellow]{say('warning_prefix')}[/] {f.file_name}: {f.reason}")
    earlier = len(report.rejected_earlier)
    total = say(
        "ingest_total",
        files=len(report.files),
        loaded=f"{loaded:,}",
        quarantined=f"{quarantined:,}",
        rejected=len(report.rejected),
    )
    console.print(
        total
        + (say("ingest_rejected_earlier", n=earlier) if earlier else "")
        + (f" → {warehouse}" if published else say("ingest_building_next")),
        highlight=False,
    )


def _status_style(status: str) -> str:
    """The colour a file's status is printed in (its words are the file_status codes)."""
    return "green" if status == "loaded" else "bold red" if status == "rejected" else "dim"
