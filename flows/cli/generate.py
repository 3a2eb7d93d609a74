"""``complaints generate``: realistic sample exports plus the truth of what was planted."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from flows.cli.progress import stage_progress
from flows.cli.shared import app, clean_errors, err_console, option, settings_for
from flows.errors import UserError
from flows.i18n import say


@app.command(help=say("cmd_generate"))
@clean_errors
def generate(
    out: Annotated[Path | None, option("--out", words="opt_gen_out")] = None,
    orders: Annotated[int, typer.Option(help=say("opt_orders"))] = 500_000,
    start: Annotated[str, typer.Option(help=say("opt_start"))] = "2025-11-24",
    weeks: Annotated[int, typer.Option(help=say("opt_weeks"))] = 52,
    merchants: Annotated[int, typer.Option(help=say("opt_merchants"))] = 100,
    seed: Annotated[int, typer.Option(help=say("opt_seed"))] = 42,
    fmt: Annotated[str, typer.Option("--format", help=say("opt_gen_format"))] = "csv",
    headers: Annotated[str, typer.Option(help=say("opt_headers"))] = "en",
    encoding: Annotated[str, typer.Option(help=say("opt_encoding"))] = "utf-8",
    dirty_rate: Annotated[float, typer.Option(help=say("opt_dirty_rate"))] = 0.001,
    truth: Annotated[Path | None, option("--truth", words="opt_truth")] = None,
    force: Annotated[bool, typer.Option("--force", help=say("opt_gen_force"))] = False,
) -> None:
    """Generate a realistic marketplace sample (six exports) and its ground truth."""
    from flows.generator import GenerateOptions
    from flows.generator import generate as run_generate

    settings = settings_for(landing=out, truth=truth)
    try:
        first_day = date.fromisoformat(start)
    except ValueError:
        raise UserError("err_start_date", text=repr(start)) from None
    opts = GenerateOptions(
        out=settings.landing,
        truth=settings.truth,
        orders=orders,
        start=first_day,
        weeks=weeks,
        merchants=merchants,
        seed=seed,
        fmt=fmt,
        headers=headers,
        encoding=encoding,
        dirty_rate=dirty_rate,
        force=force,
        timezone=settings.timezone,
    )
    opts.validate()
    with stage_progress("generate") as progress:
        # One step per generated week (the same bars as run, ingest and build).
        result = run_generate(
            opts, progress=lambda done, total: progress(total, say("progress_week", n=done))
        )
    files = result["files"]
    err_console.print(
        say(
            "generated",
            files=len(files),
            order_lines=f"{result['order_lines']:,}",
            complaints=f"{result['complaints']:,}",
            landing=settings.landing,
            truth=settings.truth,
        ),
        highlight=False,
    )
