"""``complaints alerts``: send the alerts that are new or escalated, once (docs/alerts.md)."""

from __future__ import annotations

import typer
from rich.console import Console

from flows.cli.shared import WarehouseOpt, app, clean_errors, settings_for
from flows.i18n import say

console = Console()


@app.command("alerts", help=say("cmd_alerts"))
@clean_errors
def alerts_command(warehouse: WarehouseOpt = None) -> None:
    """Evaluate the alert rules of complaints.yml on the warehouse and deliver what is due.

    Each alert goes to each recipient once (the ledger beside the warehouse), again only when it
    escalates. Exit code 1 when a message could not be delivered (it is sent by the next run) or
    a rule could not be evaluated.
    """
    from flows.alerts.run import run_alerts

    report = run_alerts(settings_for(warehouse=warehouse))
    console.print(report.summary(), highlight=False)
    for line in report.failures + report.rule_errors:
        console.print(f"[red]{line}[/]", highlight=False)
    if not report.ok:
        raise typer.Exit(1)
