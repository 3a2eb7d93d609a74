"""``complaints scorecards`` end to end on the scorecards' warehouse, and the served schedules."""

from __future__ import annotations

import dataclasses

import pytest
from typer.testing import CliRunner

from flows.cli import _register_commands, app
from flows.config import Settings
from flows.orchestration.schedules import (
    DAILY_PIPELINE,
    HOURLY_ALERTS,
    WEEKLY_SCORECARDS,
    build_deployments,
)
from flows.scorecard.weeks import last_complete_week
from tests.scorecards.conftest import mart_rows, week_merchants
from tests.scorecards.planted import MERCHANT, TARGET_WEEK

_register_commands()
runner = CliRunner()


@pytest.fixture
def cli_env(settings, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no complaints.yml here: defaults, then the env below
    for key in ("HOST", "PORT", "USER", "PASSWORD", "FROM", "STARTTLS"):
        monkeypatch.delenv(f"COMPLAINTS_SMTP_{key}", raising=False)
    monkeypatch.setenv("COMPLAINTS_REPORTS", str(tmp_path / "reports"))
    monkeypatch.setenv("COMPLAINTS_RECIPIENTS", str(tmp_path / "recipients.yml"))
    monkeypatch.setenv("COMPLAINTS_DELIVERY_LEDGER", str(tmp_path / "ledger.json"))
    return tmp_path


def test_default_week_and_out_folder_files_only(cli_env, pipeline_warehouse):
    result = runner.invoke(app, ["scorecards", "--warehouse", str(pipeline_warehouse)])
    assert result.exit_code == 0, result.output
    ((as_of,),) = [
        r.values() for r in mart_rows(pipeline_warehouse, "select as_of from marts.build_info")
    ]
    week = last_complete_week(as_of, Settings().timezone).label  # the default week
    out = cli_env / "reports" / "scorecards" / week
    assert (out / "index.html").exists()
    categories = week_merchants(pipeline_warehouse, week)
    assert len(list(out.glob("*.xlsx"))) == len(categories)
    assert len(list(out.glob("*/*.html"))) == sum(len(m) for m in categories.values())
    assert "SMTP is not configured" in result.output and "files_only" in result.output
    assert '<html lang="zh">' in (out / "index.html").read_text(encoding="utf-8")
    # Each stage's summary, printed when the stage ends.
    n_cards = sum(len(m) for m in categories.values())
    said = " ".join(result.output.split())
    assert f"read {n_cards:,} merchants' cards in {len(categories)} categories" in said
    assert f"wrote {len(categories)} workbooks and {n_cards:,} cards to" in said
    assert f"mail: {len(categories)} categories handled, 0 failed" in said


def test_options_week_category_lang_out(cli_env, pipeline_warehouse):
    out = cli_env / "custom"
    result = runner.invoke(
        app,
        [
            "scorecards",
            "--warehouse",
            str(pipeline_warehouse),
            "--week",
            "2026-W46",
            "--category",
            "家用电器",
            "--lang",
            "en",
            "--out",
            str(out),
            "--no-send",
        ],
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.glob("*.xlsx")] == ["家用电器.xlsx"]
    assert 'data-week="2026-W46"' in (out / "家用电器" / f"{MERCHANT}.html").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--week", "2026-W60"], "does not exist"),
        (["--week", "2025-W10"], "no scorecard rows for 2025-W10"),
        (["--category", "Toys"], "there is no category 'Toys'; choose one of: "),
    ],
)
def test_bad_options_are_one_clear_error(cli_env, pipeline_warehouse, args, message):
    result = runner.invoke(app, ["scorecards", "--warehouse", str(pipeline_warehouse), *args])
    assert result.exit_code == 1
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_unknown_category_lists_the_known_ones(cli_env, pipeline_warehouse):
    result = runner.invoke(
        app, ["scorecards", "--warehouse", str(pipeline_warehouse), "--category", "不存在"]
    )
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert all(category in output for category in week_merchants(pipeline_warehouse))


def test_recipients_naming_an_unknown_category_warn(cli_env, pipeline_warehouse):
    (cli_env / "recipients.yml").write_text("玩具: toys@example.com\n", encoding="utf-8")
    result = runner.invoke(app, ["scorecards", "--warehouse", str(pipeline_warehouse)])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "warning:" in output and "category '玩具', which the marts do not have" in output


def test_failed_send_exits_non_zero(cli_env, pipeline_warehouse, monkeypatch):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    (cli_env / "recipients.yml").write_text("家用电器: a@example.com\n", encoding="utf-8")
    monkeypatch.setenv("COMPLAINTS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("COMPLAINTS_SMTP_PORT", str(port))
    monkeypatch.setenv("COMPLAINTS_SMTP_FROM", "bot@example.com")
    monkeypatch.setenv("COMPLAINTS_SMTP_STARTTLS", "false")
    (cli_env / "complaints.yml").write_text("smtp_backoff_seconds: 0.01\n", encoding="utf-8")
    result = runner.invoke(app, ["scorecards", "--warehouse", str(pipeline_warehouse)])
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "not delivered" in output and "家用电器" in output and "failed" in output


def test_deployments_have_the_configured_schedules():
    deployments = {d.name: d for d in build_deployments(Settings())}
    assert set(deployments) == {DAILY_PIPELINE, WEEKLY_SCORECARDS, HOURLY_ALERTS}
    hourly = deployments[HOURLY_ALERTS].schedules[0].schedule
    assert (hourly.cron, hourly.timezone) == ("0 * * * *", "Asia/Shanghai")
    daily = deployments[DAILY_PIPELINE].schedules[0].schedule
    weekly = deployments[WEEKLY_SCORECARDS].schedules[0].schedule
    assert (daily.cron, daily.timezone) == ("0 2 * * *", "Asia/Shanghai")
    assert (weekly.cron, weekly.timezone) == ("0 8 * * 1", "Asia/Shanghai")
    assert deployments[WEEKLY_SCORECARDS].entrypoint.endswith("scorecards.py:weekly_scorecards")
    custom = dataclasses.replace(
        Settings(), schedule_timezone="Europe/Berlin", weekly_scorecards_cron="30 7 * * 1"
    )
    weekly = {d.name: d for d in build_deployments(custom)}[WEEKLY_SCORECARDS].schedules[0]
    assert (weekly.schedule.cron, weekly.schedule.timezone) == ("30 7 * * 1", "Europe/Berlin")


@pytest.mark.prefect
def test_deployments_register_and_flow_records_artifacts(prefect_harness, settings, tmp_path):
    """Registered on a (test) server with their schedules; a flow run leaves its artifacts."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.orchestration.scorecards import weekly_scorecards

    for deployment in build_deployments(settings):
        deployment.apply()
    with get_client(sync_client=True) as client:
        registered = client.read_deployment_by_name("weekly-scorecards/weekly-scorecards")
        (schedule,) = registered.schedules
        assert (schedule.schedule.cron, schedule.schedule.timezone) == (
            "0 8 * * 1",
            "Asia/Shanghai",
        )
        daily = client.read_deployment_by_name("daily-pipeline/daily-pipeline")
        assert daily.schedules[0].schedule.cron == "0 2 * * *"

    report = weekly_scorecards(
        week=TARGET_WEEK,
        warehouse=str(settings.warehouse),
        out=str(tmp_path / "flow-out"),
        deliver=False,
    )
    assert report.n_cards == sum(len(m) for m in week_merchants(settings.warehouse).values())
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=["scorecards-2026-w47-files"])
            )
        )
    assert artifacts and artifacts[0].type == "table"


def test_serve_refuses_an_unreachable_configured_api(monkeypatch, tmp_path):
    import socket

    from flows.errors import UserError
    from flows.orchestration.prefect_server import local_server

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("PREFECT_API_URL", f"http://127.0.0.1:{port}/api")
    with pytest.raises(UserError, match="does not answer"):
        with local_server("127.0.0.1", port, tmp_path / "log"):
            pass
