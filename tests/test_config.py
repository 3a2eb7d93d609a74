"""The one configuration: contract defaults, YAML overrides, environment paths, dbt vars."""

from pathlib import Path

import pytest

from flows.config import CHANNELS, load_settings


def test_defaults_follow_the_contract(tmp_path, monkeypatch):
    monkeypatch.delenv("COMPLAINTS_WAREHOUSE", raising=False)
    settings = load_settings(tmp_path / "absent.yml")
    assert settings.timezone == "Asia/Shanghai"
    assert settings.warehouse == Path("data/warehouse.duckdb")
    targets = settings.sla_targets_hours
    assert {targets[s]["app"] for s in targets} == {2.0, 24.0, 48.0, 168.0}
    assert settings.recurrence_window_days == 90


def test_yaml_overrides_one_channel_and_env_overrides_paths(tmp_path, monkeypatch):
    config = tmp_path / "complaints.yml"
    config.write_text(
        "timezone: Europe/Berlin\nsla_targets_hours:\n  acknowledge:\n    hotline: 1\n"
        "  merchant_evidence: null\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("COMPLAINTS_WAREHOUSE", str(tmp_path / "w.duckdb"))
    settings = load_settings(config)
    assert settings.timezone == "Europe/Berlin"
    assert settings.sla_targets_hours["acknowledge"]["hotline"] == 1
    assert settings.sla_targets_hours["acknowledge"]["app"] == 2.0
    assert all(settings.sla_targets_hours["merchant_evidence"][c] is None for c in CHANNELS)
    assert settings.warehouse == tmp_path / "w.duckdb"
    assert settings.dbt_vars(as_of="2026-11-01")["as_of"] == "2026-11-01"


def test_unknown_setting_is_a_clear_error(tmp_path):
    config = tmp_path / "complaints.yml"
    config.write_text("time_zone: UTC\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown setting"):
        load_settings(config)


def test_working_time_targets_from_yaml(tmp_path):
    config = tmp_path / "complaints.yml"
    config.write_text(
        "sla_targets_hours:\n  merchant_evidence:\n    web_form: 2 working days\n"
        "  acknowledge:\n    hotline: 2 working hours\n    app: 24 hours\n"
        "working_hours_start: '08:30'\n",
        encoding="utf-8",
    )
    settings = load_settings(config)
    targets = settings.dbt_vars()["sla_targets_hours"]
    assert targets["merchant_evidence"]["web_form"] == {"value": 2.0, "unit": "working_days"}
    assert targets["acknowledge"]["hotline"] == {"value": 2.0, "unit": "working_hours"}
    assert targets["acknowledge"]["app"] == 24.0  # calendar hours stay plain numbers
    assert settings.dbt_vars()["working_hours"] == {"start": "08:30", "end": "18:00"}
    assert settings.uses_working_time()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sla_targets_hours:\n  acknowledge:\n    hotline: two days\n", "not an SLA target"),
        ("sla_targets_hours:\n  acknowledge:\n    hotline: 0\n", "must be positive"),
        ("working_hours_start: '9am'\n", "HH:MM"),
        ("working_hours_start: '18:00'\nworking_hours_end: '09:00'\n", "before"),
        ("working_calendar: japan\n", "working_calendar"),
    ],
)
def test_bad_working_time_settings_are_clear_errors(tmp_path, text, message):
    config = tmp_path / "complaints.yml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as raised:
        load_settings(config)
    assert str(config) in str(raised.value)


def test_the_dbt_log_level_is_checked_and_passed_to_dbt(tmp_path):
    from flows.build.run import dbt_args

    config = tmp_path / "complaints.yml"
    config.write_text("build_log_level: verbose\n", encoding="utf-8")
    with pytest.raises(
        ValueError, match=r"build_log_level.*debug, info, warn, error, none.*verbose"
    ):
        load_settings(config)
    config.write_text("build_log_level: debug\n", encoding="utf-8")
    settings = load_settings(config)
    args = dbt_args(["build"], settings, None, tmp_path / "target", tmp_path / "logs")
    assert args[args.index("--log-level-file") + 1] == "debug"
