"""The Prefect flow and the ``complaints ingest`` command publish the same warehouse."""

from __future__ import annotations

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import _register_commands, app
from tests.ingest.samples import ORDER_HEADER, order, write_csv


@pytest.mark.prefect
def test_ingest_flow_publishes_the_warehouse(prefect_harness, run):
    from flows.ingest import ingest

    write_csv(run.landing / "orders_1.csv", ORDER_HEADER, [order(1), order(2)])
    (run.landing / "nonsense.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    live = run.database.parent / "live.duckdb"
    report = ingest(landing=run.landing, warehouse=live, settings=run.settings)
    assert sorted((f.file_name, f.status) for f in report.files) == [
        ("nonsense.csv", "rejected"),
        ("orders_1.csv", "loaded"),
    ]
    with duckdb.connect(str(live), read_only=True) as con:
        assert con.execute("select count(*) from raw.orders").fetchone() == (2,)
    # The run history keeps one row per file, rejected ones included.
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        (artifact, *_) = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["ingest-files"])),
        )
    assert artifact.type == "table" and "nonsense.csv" in str(artifact.data)


def test_cli_prints_a_summary_and_fails_on_rejected_files(run, monkeypatch):
    _register_commands()
    monkeypatch.setenv("COMPLAINTS_KEY_FILE", str(run.settings.key_file))
    monkeypatch.setenv("COLUMNS", "220")
    write_csv(run.landing / "orders_1.csv", ORDER_HEADER, [order(1)])
    runner = CliRunner()
    # Typer runs a lone registered command as the app itself.
    prefix = ["ingest"] if len(app.registered_commands) > 1 else []
    args = [*prefix, "--landing", str(run.landing), "--warehouse", str(run.database)]
    ok = runner.invoke(app, args)
    assert ok.exit_code == 0, ok.output
    assert "orders_1.csv" in ok.output and "loaded" in ok.output
    (run.landing / "mystery.csv").write_text("x\n1\n", encoding="utf-8")
    bad = runner.invoke(app, args)
    assert bad.exit_code == 1
    assert "mystery.csv" in bad.output and "rejected" in bad.output
    assert "skipped" in bad.output  # orders_1.csv is already in the ledger
    # The same stray file on the next run: a warning, exit 0; --strict keeps failing.
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert "rejected earlier, skipped until its content changes" in again.output
    strict = runner.invoke(app, [*args, "--strict"])
    assert strict.exit_code == 1
