"""Fixtures: the scorecards' warehouse (generated exports plus the planted cases of
``tests/scorecards/planted.py``, run through the real ingest and dbt), settings pointing every
output into a temporary folder, and the mart rows a test compares against (queried independently
of the code under test)."""

from __future__ import annotations

import dataclasses
import socket
from pathlib import Path

import duckdb
import pytest
from aiosmtpd.controller import Controller

from flows.config import Settings
from flows.scorecard.mailer import SmtpSettings
from tests.scorecards.planted import TARGET_WEEK, plant


@pytest.fixture
def settings(pipeline_warehouse, tmp_path) -> Settings:
    return dataclasses.replace(
        Settings(),
        warehouse=pipeline_warehouse,
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


def week_merchants(warehouse: Path, week: str = TARGET_WEEK) -> dict[str, list[str]]:
    """Category -> its merchants' ids (sorted) on the week's scorecard, as the mart has them."""
    merchants: dict[str, list[str]] = {}
    for row in mart_rows(
        warehouse,
        "select category, merchant_id from marts.merchant_scorecard_weekly where iso_week = ? "
        "order by category, merchant_id",
        [week],
    ):
        merchants.setdefault(row["category"], []).append(row["merchant_id"])
    return merchants


@pytest.fixture(scope="session")
def pipeline_warehouse(prefect_harness, tmp_path_factory) -> Path:
    """A small real warehouse: ``complaints generate --orders 20000``, the planted cases'
    raw rows appended to its exports, then the daily-pipeline flow (ingest + build in one
    publish) under the Prefect test harness."""
    import os

    from typer.testing import CliRunner

    from flows.cli import _register_commands, app
    from flows.orchestration.pipeline import daily_pipeline

    _register_commands()
    root = tmp_path_factory.mktemp("pipeline")
    landing, warehouse = root / "landing", root / "warehouse.duckdb"
    generated = CliRunner().invoke(
        app,
        ["generate", "--out", str(landing), "--orders", "20000", "--truth", str(root / "t.json")],
    )
    assert generated.exit_code == 0, generated.output
    plant(landing)
    # The documented working-time examples, so the cards word each channel's target unit.
    config = root / "complaints.yml"
    config.write_text(
        "sla_targets_hours:\n"
        "  acknowledge: {hotline: 2 working hours}\n"
        "  merchant_evidence: {web_form: 2 working days}\n",
        encoding="utf-8",
    )
    saved = os.environ.get("COMPLAINTS_KEY_FILE")
    os.environ["COMPLAINTS_KEY_FILE"] = str(root / "key")
    try:
        result = daily_pipeline(
            landing=str(landing), warehouse=str(warehouse), config_file=str(config)
        )
    finally:
        if saved is None:
            os.environ.pop("COMPLAINTS_KEY_FILE", None)
        else:
            os.environ["COMPLAINTS_KEY_FILE"] = saved
    assert result["files"] > 0 and result["nodes"] > 0
    return warehouse


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    """Start local SMTP servers on 127.0.0.1 with the given handler; stopped after the test."""
    controllers = []

    def start(handler, timeout: float = 5.0) -> SmtpSettings:
        controller = Controller(handler, hostname="127.0.0.1", port=free_port())
        controller.start()
        controllers.append(controller)
        return SmtpSettings(
            host="127.0.0.1",
            port=controller.port,
            sender="scorecards@example.com",
            starttls=False,
            timeout=timeout,
        )

    yield start
    for controller in controllers:
        controller.stop()
