"""The PII key at a fixed place and bound to the warehouse; files not readable by others; no
usage telemetry from dbt or Prefect."""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

import pytest
import yaml

from flows.config import TELEMETRY_OFF, Settings, load_settings
from flows.errors import UserError
from flows.landing.key_fingerprint import fingerprint
from flows.landing.pipeline import ingest_landing
from flows.warehouse import publishing

ROOT = Path(__file__).resolve().parents[2]


def _mode(path: Path) -> int:
    return os.stat(path).st_mode & 0o777


def test_default_key_file_does_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("COMPLAINTS_KEY_FILE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("COMPLAINTS_CONFIG", str(tmp_path / "absent.yml"))
    first = load_settings().key_file
    monkeypatch.chdir(tmp_path)
    assert (
        load_settings().key_file == first == tmp_path / "config" / "complaint-insight" / "pii.key"
    )


def test_relative_key_file_in_the_config_is_relative_to_that_file(tmp_path, monkeypatch):
    monkeypatch.delenv("COMPLAINTS_KEY_FILE", raising=False)
    config = tmp_path / "etc" / "complaints.yml"
    config.parent.mkdir()
    config.write_text(yaml.safe_dump({"key_file": "secrets/pii.key"}))
    monkeypatch.chdir(tmp_path)
    assert load_settings(config).key_file == tmp_path / "etc" / "secrets" / "pii.key"


def _ingest_nothing(tmp_path: Path, key_file: Path, warehouse: Path) -> None:
    landing = tmp_path / "landing"
    landing.mkdir(exist_ok=True)
    settings = dataclasses.replace(Settings(), key_file=key_file)
    with publishing(warehouse) as staging:
        ingest_landing(landing, staging, settings)


def test_a_run_with_another_key_refuses_to_load(tmp_path, monkeypatch):
    monkeypatch.delenv("COMPLAINTS_PII_KEY", raising=False)
    warehouse = tmp_path / "warehouse.duckdb"
    first, other = tmp_path / "a" / "pii.key", tmp_path / "b" / "pii.key"
    _ingest_nothing(tmp_path, first, warehouse)
    assert _mode(first) == 0o600
    _ingest_nothing(tmp_path, first, warehouse)  # the same key: fine
    with pytest.raises(UserError, match="made with another key") as refused:
        _ingest_nothing(tmp_path, other, warehouse)
    assert str(other) in str(refused.value) and "COMPLAINTS_KEY_FILE" in str(refused.value)
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        (recorded,) = con.execute("select fingerprint from meta.pii_key").fetchone()
    assert recorded == fingerprint(first.read_bytes().strip())
    # The key never appears in the warehouse, only its fingerprint.
    assert first.read_bytes().strip() not in warehouse.read_bytes()


def test_warehouse_reports_and_ledger_are_not_world_readable(
    tmp_path, monkeypatch, small_warehouse
):
    from flows.scorecard.ledger import DeliveryLedger
    from flows.scorecard.run import run_scorecards

    source = small_warehouse
    live = tmp_path / "warehouse.duckdb"
    with publishing(live) as staging:
        staging.write_bytes(source.read_bytes())
    assert _mode(live) == 0o640
    settings = dataclasses.replace(
        Settings(), warehouse=live, reports=tmp_path / "reports",
        recipients_file=tmp_path / "recipients.yml",
        delivery_ledger=tmp_path / "reports" / "deliveries.json",
    )  # fmt: skip
    report = run_scorecards(settings, deliver=False, out=tmp_path / "reports" / "week")
    written = [p for p in (tmp_path / "reports").rglob("*") if p.is_file()]
    assert report.index in written and any(p.suffix == ".xlsx" for p in written)
    assert {oct(_mode(p)) for p in written} == {oct(0o640)}
    ledger = DeliveryLedger(settings.delivery_ledger)
    ledger.record_failure("2026-W47", "home", ["qa@example.com"], "refused", 1)
    assert _mode(settings.delivery_ledger) == 0o600


def test_dbt_usage_stats_are_off_in_the_shipped_project_and_every_build():
    from flows.build.run import dbt_args

    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["flags"]["send_anonymous_usage_stats"] is False
    args = dbt_args(["build"], Settings(), None, ROOT / "target", ROOT / "logs")
    assert "--no-send-anonymous-usage-stats" in args


def test_the_command_line_turns_telemetry_off_and_restricts_new_files(monkeypatch, tmp_path):
    from flows import cli

    for name in TELEMETRY_OFF:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "argv", ["complaints", "--help"])
    previous = os.umask(0o022)
    try:
        with pytest.raises(SystemExit):
            cli.main()
        (tmp_path / "new").write_text("x")
    finally:
        os.umask(previous)
    for name, value in TELEMETRY_OFF.items():
        assert os.environ[name] == value
    assert os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    assert _mode(tmp_path / "new") == 0o640
