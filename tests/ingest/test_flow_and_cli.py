"""The ``complaints ingest`` command and the I/O retries every ingest gets."""

from __future__ import annotations

from typer.testing import CliRunner

from flows.cli import _register_commands, app
from tests.ingest.samples import ORDER_HEADER, order, write_csv


def test_an_io_error_is_retried_where_every_run_ingests(run, monkeypatch):
    """``complaints ingest``, ``complaints run`` and the scheduled daily pipeline all call
    ``ingest_landing``: a read that fails once with an I/O error is read again and loads."""
    from flows.landing import pipeline

    write_csv(run.landing / "orders_1.csv", ORDER_HEADER, [order(1), order(2)])
    reads, real_read = [], pipeline.read_csv

    def flaky_read(con, path, *args, **kwargs):
        reads.append(path)
        if len(reads) == 1:
            raise OSError("device not ready")
        return real_read(con, path, *args, **kwargs)

    monkeypatch.setattr(pipeline, "read_csv", flaky_read)
    report = run()
    assert [(f.file_name, f.status) for f in report.files] == [("orders_1.csv", "loaded")]
    assert len(reads) == 2
    assert run.rows("select count(*) from raw.orders") == [(2,)]


def test_a_lasting_io_error_rejects_the_file_after_the_retries(run, monkeypatch):
    from flows.landing import pipeline

    write_csv(run.landing / "orders_1.csv", ORDER_HEADER, [order(1)])
    reads = []

    def failing_read(con, path, *args, **kwargs):
        reads.append(path)
        raise OSError("device not ready")

    monkeypatch.setattr(pipeline, "read_csv", failing_read)
    (result,) = run().files
    assert (result.status, result.reason) == ("rejected", "device not ready")
    assert len(reads) == 1 + len(run.settings.ingest_io_retry_delays_seconds)


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
