"""Fixtures for the ingest tests: a settings object on temporary paths and a runner."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from flows.config import Settings
from flows.landing.pipeline import IngestReport, ingest_landing


class Run:
    """Ingest a landing folder into a test warehouse and query the result."""

    def __init__(self, tmp_path: Path, settings: Settings) -> None:
        self.landing = tmp_path / "landing"
        self.landing.mkdir()
        self.database = tmp_path / "warehouse.duckdb"
        self.settings = settings

    def __call__(self, profiles_file: Path | None = None) -> IngestReport:
        return ingest_landing(self.landing, self.database, self.settings, profiles_file)

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.database), read_only=True) as con:
            con.execute("set TimeZone = 'UTC'")
            return con.execute(sql, params or []).fetchall()

    def file(self, report: IngestReport, name: str):
        return next(f for f in report.files if f.file_name == name)


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("COMPLAINTS_PII_KEY", "test-key")
    return replace(
        Settings(),
        key_file=tmp_path / ".complaints_key",
        profiles_file=tmp_path / "profiles.yml",
        ingest_memory_limit="512MB",
        ingest_io_retry_delays_seconds=(0.0, 0.0),
    )


@pytest.fixture
def run(tmp_path: Path, settings: Settings) -> Run:
    return Run(tmp_path, settings)
