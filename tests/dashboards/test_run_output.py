"""What ``complaints run`` shows: each stage's summary as it ends, and no library log lines."""

from __future__ import annotations

from types import SimpleNamespace

from flows.build.run import _node_progress


def test_run_prints_the_ingest_summary_before_the_build_and_no_library_logs(app_warehouse):
    folder = app_warehouse.parent
    stdout = (folder / "run.stdout").read_text(encoding="utf-8")
    stderr = (folder / "run.stderr").read_text(encoding="utf-8")
    ingest_line = stdout.index("rows loaded")
    assert "building the marts next" in stdout
    assert ingest_line < stdout.index("dbt build passed")
    for noise in ("| INFO", "| WARNING", "great_expectations", "prefect."):
        assert noise not in stdout + stderr, noise


def _event(name: str, **data) -> SimpleNamespace:
    return SimpleNamespace(info=SimpleNamespace(name=name), data=SimpleNamespace(**data))


def test_build_progress_counts_the_nodes_dbt_announces():
    seen: list[tuple[int | None, str]] = []
    on_event = _node_progress(lambda total, name: seen.append((total, name)))
    on_event(_event("NodeFinished", node_info=SimpleNamespace(node_name="early")))
    stats = "41 models, 156 data tests, 10 sources, 546 macros, 16 unit tests"
    on_event(_event("FoundStats", stat_line=stats))
    on_event(_event("NodeStart", node_info=SimpleNamespace(node_name="ignored")))
    on_event(_event("NodeFinished", node_info=SimpleNamespace(node_name="stg_raw__orders")))
    assert seen == [(None, "early"), (213, "stg_raw__orders")]


def test_build_progress_leaves_out_the_unit_tests_a_build_skips():
    seen: list[tuple[int | None, str]] = []
    on_event = _node_progress(lambda total, name: seen.append((total, name)), unit_tests=False)
    stats = "41 models, 156 data tests, 10 sources, 546 macros, 16 unit tests"
    on_event(_event("FoundStats", stat_line=stats))
    on_event(_event("NodeFinished", node_info=SimpleNamespace(node_name="stg_raw__orders")))
    assert seen == [(197, "stg_raw__orders")]


def test_a_build_runs_the_unit_tests_only_when_asked():
    from dataclasses import replace

    from flows.build.run import build_command
    from flows.config import Settings

    default = Settings()
    assert build_command(default, True, False) == ["build", "--exclude-resource-type", "unit_test"]
    asked = replace(default, build_unit_tests=True)
    assert build_command(asked, True, True) == ["build", "--full-refresh"]
    assert build_command(asked, False, False) == ["run"]
