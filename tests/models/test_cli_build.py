"""``complaints build`` / ``run`` / ``docs`` from the command line."""

from __future__ import annotations

import shutil

from typer.testing import CliRunner

from flows.cli import _register_commands, app

_register_commands()
runner = CliRunner()


def test_build_command_publishes_and_lists_nodes(hand_build, tmp_path):
    live, _ = hand_build
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(live, copy)
    args = ["build", "--warehouse", str(copy), "--as-of", "2026-02-01 00:00"]
    refused = runner.invoke(app, args)  # weeks after the hand-built data's last event
    assert refused.exit_code == 1
    assert "lies outside the loaded data" in " ".join(refused.output.split())
    args.append("--force")
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "merchant_scorecard_weekly" not in result.output  # only failures are listed
    result = runner.invoke(app, [*args, "--verbose"])
    assert result.exit_code == 0, result.output
    assert "merchant_scorecard_weekly" in result.output
    assert "dbt build passed" in result.output
    assert "2026-02-01T00:00:00+08:00" in result.output


def test_build_command_without_warehouse_is_one_sentence(tmp_path):
    result = runner.invoke(app, ["build", "--warehouse", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert "no warehouse" in result.output
    assert "Traceback" not in result.output


def test_build_command_rejects_bad_as_of(hand_build, tmp_path):
    live, _ = hand_build
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(live, copy)
    result = runner.invoke(app, ["build", "--warehouse", str(copy), "--as-of", "soon"])
    assert result.exit_code == 1
    assert "not a time" in result.output
