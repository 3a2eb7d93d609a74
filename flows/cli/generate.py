"""``complaints generate``: realistic sample exports plus the truth of what was planted."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from flows.cli.progress import stage_progress
from flows.cli.shared import app, clean_errors, err_console, settings_for
from flows.errors import UserError


@app.command()
@clean_errors
def generate(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Landing folder to write the exports into (default: data/landing).",
            show_default=False,
        ),
    ] = None,
    orders: Annotated[int, typer.Option(help="Order lines to generate.")] = 500_000,
    start: Annotated[str, typer.Option(help="First day, a Monday (YYYY-MM-DD).")] = "2025-11-24",
    weeks: Annotated[
        int, typer.Option(help="Number of weeks; the export moment is the end of the last.")
    ] = 52,
    merchants: Annotated[int, typer.Option(help="Number of merchants.")] = 100,
    seed: Annotated[
        int, typer.Option(help="Random seed; the same seed and options give the same bytes.")
    ] = 42,
    fmt: Annotated[str, typer.Option("--format", help="csv, xlsx, jsonl or parquet.")] = "csv",
    headers: Annotated[str, typer.Option(help="Header and enumeration language: en or zh.")] = "en",
    encoding: Annotated[str, typer.Option(help="CSV encoding: utf-8 or gbk.")] = "utf-8",
    dirty_rate: Annotated[
        float, typer.Option(help="Share of transactional rows given a fault (0 = clean).")
    ] = 0.001,
    truth: Annotated[
        Path | None,
        typer.Option(
            help="Ground-truth JSON (default: the config's truth path, data/ground_truth.json).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace exports already in the folder.")
    ] = False,
) -> None:
    """Generate a realistic marketplace sample (six exports) and its ground truth."""
    from flows.generator import GenerateOptions
    from flows.generator import generate as run_generate

    settings = settings_for(landing=out, truth=truth)
    try:
        first_day = date.fromisoformat(start)
    except ValueError:
        raise UserError(f"--start must be a date like 2025-11-24, got {start!r}") from None
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
        result = run_generate(opts, progress=lambda done, total: progress(total, f"week {done}"))
    files = result["files"]
    err_console.print(
        f"wrote {len(files)} files ({result['order_lines']:,} order lines, "
        f"{result['complaints']:,} complaints) to {settings.landing}; truth in {settings.truth}"
    )
