"""Fixtures: the fixture warehouse, settings pointing every output into a temporary folder, and
the mart rows a test compares against (queried independently of the code under test)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb
import pytest

from flows.config import Settings
from tests.scorecards.fixture_warehouse import build_fixture_warehouse


@pytest.fixture(scope="session")
def fixture_warehouse(tmp_path_factory) -> Path:
    return build_fixture_warehouse(tmp_path_factory.mktemp("marts") / "warehouse.duckdb")


@pytest.fixture
def settings(fixture_warehouse, tmp_path) -> Settings:
    return dataclasses.replace(
        Settings(),
        warehouse=fixture_warehouse,
        reports=tmp_path / "reports",
        recipients_file=tmp_path / "recipients.yml",
        delivery_ledger=tmp_path / "reports" / "deliveries.json",
        smtp_backoff_seconds=0.01,
        smtp_timeout_seconds=5.0,
    )


def mart_rows(warehouse: Path, sql: str, params: list | None = None) -> list[dict]:
    """Rows of a query on the warehouse, as dicts (the tests' independent view of the marts)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(sql, params or [])
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
