"""dbt kept loaded between builds (``complaints serve``): the project is parsed once for many
builds, the builds give the marts a fresh build gives, and any change that shapes the parse
(a project file, the vars) parses again before the next build."""

from __future__ import annotations

import json
import math
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from flows.build import dbt_session
from flows.build.run import PROJECT_DIR, build_and_publish
from flows.config import Settings
from flows.warehouse import read_only

MART_TABLES = "select table_name from information_schema.tables where table_schema = 'marts'"


def marts_of(path: Path) -> dict[str, list]:
    """Every mart's rows (``build_info`` holds the build's own stamps)."""
    with read_only(path) as con:
        names = [n for (n,) in con.execute(MART_TABLES).fetchall() if n != "build_info"]
        return {n: con.execute(f"select * from marts.{n} order by all").fetchall() for n in names}


def assert_same_marts(built: dict[str, list], expected: dict[str, list]) -> None:
    """Same marts, same rows; floats to 1e-9 relative (parallel aggregation may sum in another
    order from one build to the next, fresh or kept)."""
    assert built.keys() == expected.keys()
    for name, rows in expected.items():
        assert len(built[name]) == len(rows), name
        for got, want in zip(built[name], rows, strict=True):
            for a, b in zip(got, want, strict=True):
                if isinstance(a, float) and isinstance(b, float):
                    assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), (name, got, want)
                else:
                    assert a == b, (name, got, want)


def test_two_builds_through_the_kept_runner_parse_once_and_equal_a_fresh_build(
    small_warehouse, tmp_path
):
    # small_warehouse was built by `complaints run`: a fresh process, a fresh dbtRunner.
    fresh = marts_of(small_warehouse)
    assert len(fresh) >= 20
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(small_warehouse, copy)
    dirs = {"target_path": tmp_path / "target", "log_path": tmp_path / "logs"}
    with dbt_session.kept_dbt(PROJECT_DIR) as session:
        first = build_and_publish(copy, Settings(), **dirs)
        assert_same_marts(marts_of(copy), fresh)
        second = build_and_publish(copy, Settings(), **dirs)
        assert session.parses == 1
    assert dbt_session.active() is None
    assert first.success and second.success
    assert len(second.nodes) == len(first.nodes) > 100
    assert_same_marts(marts_of(copy), fresh)


def test_a_new_reference_time_builds_without_a_new_parse_and_is_used(small_warehouse, tmp_path):
    """The daily run's as-of and watermark are not in the parse key: the kept manifest must still
    compile with each run's values, never the first run's."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(small_warehouse, copy)
    with read_only(copy) as con:
        (as_of,) = con.execute("select as_of from marts.build_info").fetchone()
    later = (as_of + timedelta(days=1)).isoformat()
    dirs = {"target_path": tmp_path / "target", "log_path": tmp_path / "logs"}
    with dbt_session.kept_dbt(PROJECT_DIR) as session:
        assert build_and_publish(copy, Settings(), as_of.isoformat(), **dirs).success
        assert build_and_publish(copy, Settings(), later, **dirs).success
        assert session.parses == 1
    with read_only(copy) as con:
        (built_as_of,) = con.execute("select as_of from marts.build_info").fetchone()
    assert built_as_of == as_of + timedelta(days=1)


def test_the_render_time_vars_shape_no_parse(tmp_path):
    """Two values of each render-time var parse to the same nodes: same configs, same
    dependencies (a var read in a config or ref would show here)."""
    from dbt.cli.main import dbtRunner

    project = _project_copy(tmp_path)
    shapes = []
    for value in ("2026-01-05T00:00:00+00:00", "2026-11-30T12:00:00+00:00"):
        dbt_vars = {**Settings().dbt_vars(), **dict.fromkeys(dbt_session.RENDER_TIME_VARS, value)}
        parsed = dbtRunner().invoke(["--quiet", *_dbt_args(project, ["parse"], dbt_vars)])
        assert parsed.success, parsed.exception
        shapes.append(
            {
                unique_id: (node.config.to_dict(), sorted(node.depends_on.nodes))
                for unique_id, node in parsed.result.nodes.items()
            }
        )
    assert len(shapes[0]) > 100
    assert shapes[0] == shapes[1]


def _project_copy(root: Path) -> Path:
    """The dbt project's own files in a folder of their own, free to change."""
    project = root / "project"
    project.mkdir()
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copyfile(PROJECT_DIR / name, project / name)
    for folder in ("models", "macros", "tests/dbt"):
        shutil.copytree(PROJECT_DIR / folder, project / folder)
    return project


def _dbt_args(project: Path, command: list[str], dbt_vars: dict) -> list[str]:
    """``command`` on the project copy, its target and logs inside it."""
    return [
        *command,
        "--no-send-anonymous-usage-stats",
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--target-path",
        str(project / "target"),
        "--log-path",
        str(project / "logs"),
        "--vars",
        json.dumps(dbt_vars),
    ]


def _list_models(session: dbt_session.DbtSession, project: Path, dbt_vars: dict) -> list[str]:
    """``dbt ls`` of the models through the session (no database is opened)."""
    database = project / "warehouse.duckdb"
    command = ["ls", "--resource-type", "model", "--output", "name"]
    outcome = session.invoke(
        _dbt_args(project, command, dbt_vars),
        _dbt_args(project, ["parse"], dbt_vars),
        dbt_vars,
        database,
        [],
    )
    assert outcome.success, outcome.exception
    return list(outcome.result)


def test_a_project_or_vars_change_parses_again_and_the_build_sees_it(tmp_path):
    project = _project_copy(tmp_path)
    dbt_vars = Settings().dbt_vars()
    session = dbt_session.DbtSession(project)
    models = _list_models(session, project, dbt_vars)
    assert "merchant_scorecard_weekly" in models and "zz_probe" not in models
    assert _list_models(session, project, dbt_vars) == models
    assert session.parses == 1  # nothing changed: the kept manifest served the second call

    (project / "models" / "marts" / "zz_probe.sql").write_text("select 1 as probe\n")
    changed = _list_models(session, project, dbt_vars)
    assert session.parses == 2
    assert "zz_probe" in changed  # the new model is in the manifest the command ran with

    macro = next((project / "macros").glob("*.sql"))
    macro.write_text(macro.read_text() + "\n{# edited #}\n")
    _list_models(session, project, dbt_vars)
    assert session.parses == 3

    _list_models(session, project, {**dbt_vars, "recurrence_window_days": 60})
    assert session.parses == 4
    _list_models(session, project, {**dbt_vars, "recurrence_window_days": 60})
    assert session.parses == 4


def test_the_parse_key_names_what_shapes_a_parse(tmp_path, monkeypatch):
    project = _project_copy(tmp_path)
    dbt_vars = Settings().dbt_vars()
    base = dbt_session.parse_key(project, dbt_vars, tmp_path / "a.duckdb")
    assert dbt_session.parse_key(project, dict(dbt_vars), tmp_path / "a.duckdb") == base
    assert dbt_session.parse_key(project, dbt_vars, tmp_path / "b.duckdb") != base
    changed = {**dbt_vars, "recurrence_window_days": 60}
    assert dbt_session.parse_key(project, changed, tmp_path / "a.duckdb") != base
    # The reference time and the watermark change every day and are read only by rendered SQL.
    for name in dbt_session.RENDER_TIME_VARS:
        daily = {**dbt_vars, name: "2026-12-01T00:00:00+00:00"}
        assert dbt_session.parse_key(project, daily, tmp_path / "a.duckdb") == base
    # So does where an incremental build starts, an environment variable set for one run.
    monkeypatch.setenv("COMPLAINTS_INCREMENTAL_SINCE", "2026-12-01T00:00:00+00:00")
    assert dbt_session.parse_key(project, dbt_vars, tmp_path / "a.duckdb") == base
    monkeypatch.delenv("COMPLAINTS_INCREMENTAL_SINCE")
    monkeypatch.setenv("COMPLAINTS_SPARK_SCHEMA", "elsewhere")
    assert dbt_session.parse_key(project, dbt_vars, tmp_path / "a.duckdb") != base
    monkeypatch.delenv("COMPLAINTS_SPARK_SCHEMA")
    (project / "tests" / "dbt" / "new_test.sql").write_text("select 1 where false\n")
    assert dbt_session.parse_key(project, dbt_vars, tmp_path / "a.duckdb") != base


@pytest.fixture(autouse=True)
def _no_session_left_behind():
    yield
    assert dbt_session.active() is None
