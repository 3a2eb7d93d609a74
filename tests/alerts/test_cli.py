"""``complaints alerts`` reads its rules from complaints.yml and says what it sent."""

from __future__ import annotations

import yaml
from typer.testing import CliRunner

from flows.cli import _register_commands, app


def test_complaints_alerts_from_the_configuration_file(tmp_path, warehouse, webhook, monkeypatch):
    config = tmp_path / "complaints.yml"
    config.write_text(
        yaml.safe_dump(
            {
                "alert_rules": [
                    {"name": "terms", "kind": "emerging_term", "recipients": [webhook.url()]}
                ],
                "alert_ledger": str(tmp_path / "ledger.sqlite"),
                "alert_backoff_seconds": 0,
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("COMPLAINTS_CONFIG", str(config))
    _register_commands()
    runner = CliRunner()
    first = runner.invoke(app, ["alerts", "--warehouse", str(warehouse)])
    assert first.exit_code == 0, first.output
    assert "1 sent in 1 message(s)" in first.output
    again = runner.invoke(app, ["alerts", "--warehouse", str(warehouse)])
    assert again.exit_code == 0 and "0 sent" in again.output
    assert len(webhook.received) == 1

    webhook.fail_next = 100  # the receiver is down: the run says so and exits 1
    config.write_text(
        config.read_text(encoding="utf-8").replace("name: terms", "name: terms-2"),
        encoding="utf-8",
    )
    down = runner.invoke(app, ["alerts", "--warehouse", str(warehouse)])
    assert down.exit_code == 1 and "not delivered" in down.output
