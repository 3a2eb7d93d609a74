"""Generated samples of the model tests: the command-line generator, ingest, and mart reads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from flows.config import Settings
from flows.landing.pipeline import ingest_landing
from flows.warehouse import publishing, read_only

# One zone without daylight saving east of UTC, one west of UTC, one with daylight saving. The
# sample's 16 weeks from 2026-01-05 hold Berlin's spring-forward night (2026-03-29).
ZONES = ("Asia/Shanghai", "America/Sao_Paulo", "Europe/Berlin")
SAMPLE_START = "2026-01-05"


def generate(landing: Path, truth: Path, *options: str, timezone: str | None = None) -> None:
    """``complaints generate`` through the command line (its stable interface)."""
    from typer.testing import CliRunner

    from flows.cli import _register_commands, app

    _register_commands()
    args = ["generate", "--out", str(landing), "--truth", str(truth), "--force", *options]
    env = {"COMPLAINTS_TIMEZONE": timezone} if timezone else None
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.output


def ingest(landing: Path, warehouse: Path, settings: Settings) -> None:
    with publishing(warehouse) as staging:
        ingest_landing(landing, staging, settings)


def _mart(warehouse: Path, sql: str) -> pd.DataFrame:
    with read_only(warehouse) as con:
        return con.execute(sql).df()
