"""Full garbage collections wait while dbt runs and come back after, whatever happens."""

from __future__ import annotations

import gc

import pytest

from flows.build import run as build_run
from flows.build.collections import HELD_BACK_THRESHOLD, full_collections_held_back
from flows.config import Settings


def test_held_back_inside_restored_after_even_on_error():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), full_collections_held_back():
        assert gc.get_threshold() == (before[0], before[1], HELD_BACK_THRESHOLD)
        with full_collections_held_back():  # nested: the outer block still holds them back
            pass
        assert gc.get_threshold()[2] == HELD_BACK_THRESHOLD
        raise RuntimeError("a failed build")
    assert gc.get_threshold() == before


def test_a_threshold_changed_during_the_block_is_left_alone():
    before = gc.get_threshold()
    try:
        with full_collections_held_back():
            gc.set_threshold(before[0], before[1], 5)
        assert gc.get_threshold() == (before[0], before[1], 5)
    finally:
        gc.set_threshold(*before)


def test_dbt_is_invoked_with_full_collections_held_back(monkeypatch, tmp_path):
    seen: list[tuple[int, int, int]] = []

    class FakeRunner:
        def __init__(self, callbacks=None):
            pass

        def invoke(self, args):
            seen.append(gc.get_threshold())
            return "done"

    import dbt.cli.main

    monkeypatch.setattr(dbt.cli.main, "dbtRunner", FakeRunner)
    monkeypatch.setattr(build_run, "release_dbt_database", lambda: None)
    before = gc.get_threshold()
    outcome = build_run.run_dbt(["ls"], tmp_path / "w.duckdb", Settings(), target_path=tmp_path)
    assert outcome == "done"
    assert seen == [(before[0], before[1], HELD_BACK_THRESHOLD)]
    assert gc.get_threshold() == before
