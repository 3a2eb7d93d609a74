"""``complaints build``, ``complaints run`` and ``complaints docs``: computing and documenting the
marts. Thin shells over ``flows.build.run``; dbt and the ingest are imported when a command runs."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from flows.cli.shared import (
    AsOfOpt,
    ForceOpt,
    LandingOpt,
    VerboseOpt,
    WarehouseOpt,
    app,
    clean_errors,
    option,
    settings_for,
)
from flows.errors import UserError
from flows.i18n import node_word, say

console = Console()


FullRefreshOpt = Annotated[
    bool, option("--full-refresh", words="opt_full_refresh", show_default=True)
]


def _print_result(result, verbose: bool = False) -> None:
    """Failed nodes (every node with --verbose) and the summary; all are in logs/dbt.log too."""
    for node in result.nodes:
        if not (verbose or node.failed):
            continue
        colour = "red" if node.failed else "green"
        line = say(
            "build_node_line",
            colour=colour,
            status=f"{node_word(node.status):>7}",
            kind=f"{node_word(node.resource_type):<9}",
            name=node.name,
            seconds=f"{node.seconds:.2f}",
        )
        console.print(line, highlight=False)
    console.print(result.summary(), highlight=False)


UnitTestsOpt = Annotated[bool, option("--unit-tests", words="opt_unit_tests", show_default=True)]


def _settings(unit_tests: bool, **paths: Path | None):
    """The settings with the command line's paths, and unit tests on when asked."""
    settings = settings_for(**paths)
    return replace(settings, build_unit_tests=True) if unit_tests else settings


EngineOpt = Annotated[str, option("--engine", words="opt_engine", show_default=True)]
SparkDirOpt = Annotated[Path | None, option("--spark-dir", words="opt_spark_dir")]


@app.command("build", help=say("cmd_build"))
@clean_errors
def build_command(
    warehouse: WarehouseOpt = None,
    as_of: AsOfOpt = None,
    force: ForceOpt = False,
    verbose: VerboseOpt = False,
    engine: EngineOpt = "duckdb",
    spark_dir: SparkDirOpt = None,
    full_refresh: FullRefreshOpt = False,
    unit_tests: UnitTestsOpt = False,
) -> None:
    """Compute every mart from the raw tables (dbt build: models and tests) and publish."""
    from flows.build.run import build_and_publish
    from flows.cli.progress import send_library_logs_to_file, stage_progress

    send_library_logs_to_file()
    settings = _settings(unit_tests, warehouse=warehouse)
    if engine not in {"duckdb", "spark"}:
        raise UserError("err_engine", engine=repr(engine))
    if engine == "spark":
        from flows.spark.build import build_on_spark

        work = spark_dir or Path(settings.warehouse).parent / "spark"
        result = build_on_spark(
            settings.warehouse, settings, work, as_of, force=force, full_refresh=full_refresh
        )
        _print_result(result, verbose)
        console.print(
            say("built_on_spark", work=work, warehouse=settings.warehouse), highlight=False
        )
        return
    with stage_progress("build") as progress:
        result = build_and_publish(
            settings.warehouse,
            settings,
            as_of,
            force=force,
            progress=progress,
            full_refresh=full_refresh,
        )
    _print_result(result, verbose)
    as_of_shown = result.as_of or say("as_of_default")
    console.print(say("built", warehouse=settings.warehouse, as_of=as_of_shown), highlight=False)


@app.command("run", help=say("cmd_run"))
@clean_errors
def run_command(
    landing: LandingOpt = None,
    warehouse: WarehouseOpt = None,
    as_of: AsOfOpt = None,
    force: ForceOpt = False,
    verbose: VerboseOpt = False,
    full_refresh: FullRefreshOpt = False,
    unit_tests: UnitTestsOpt = False,
) -> None:
    """Ingest the landing folder, then build the marts; readers see both steps or neither."""
    from flows.build.run import ingest_and_build
    from flows.cli.ingest import print_ingest_report
    from flows.cli.progress import send_library_logs_to_file, stage_progress

    send_library_logs_to_file()
    settings = _settings(unit_tests, warehouse=warehouse, landing=landing)
    report, result = ingest_and_build(
        settings,
        as_of,
        force=force,
        stage=stage_progress,
        on_ingested=lambda report: print_ingest_report(report, settings.warehouse, published=False),
        full_refresh=full_refresh,
    )
    _print_result(result, verbose)
    console.print(
        say("ran", landing=settings.landing, warehouse=settings.warehouse), highlight=False
    )
    if report.rejected:  # the other files were loaded and built; the exit code still says so
        raise typer.Exit(1)


@app.command("docs", help=say("cmd_docs"))
@clean_errors
def docs_command(warehouse: WarehouseOpt = None) -> None:
    """Write the dbt documentation site (models, columns, tests, lineage) into target/."""
    from flows.build.run import PROJECT_DIR, generate_docs

    settings = settings_for(warehouse=warehouse)
    if not Path(settings.warehouse).exists():
        raise UserError("err_no_warehouse_run", path=settings.warehouse)
    # The catalog step opens the database for writing; a throw-away copy leaves the live file alone.
    with tempfile.TemporaryDirectory(prefix="complaints-docs-") as scratch:
        copy = Path(scratch) / "warehouse.duckdb"
        shutil.copyfile(settings.warehouse, copy)
        page = generate_docs(copy, settings)
    console.print(say("docs_written", page=page, project=PROJECT_DIR), highlight=False)
