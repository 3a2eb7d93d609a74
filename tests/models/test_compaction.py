"""Deleted rows stay marked until the tables the build writes hold the share that calls for
compaction (flows/build/compaction.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flows.build.compaction import compaction_due, deleted_row_shares, deleted_share


@pytest.fixture
def warehouse(tmp_path) -> Path:
    """Three tables of 1 000 rows: one dbt writes with 150 deleted, one it does not write (the
    ingest's, 500 deleted), one untouched."""
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("set global max_vacuum_tasks = 0")  # keep the deletions marked, as a build
        for schema in ("marts", "raw", "intermediate"):
            con.execute(f"create schema {schema}")
        for name in ("marts.redone", "raw.orders", "intermediate.kept"):
            con.execute(f"create table {name} as select range as id from range(1000)")
        con.execute("checkpoint")
        con.execute("delete from marts.redone where id < 150")
        con.execute("delete from raw.orders where id < 500")
        con.execute("checkpoint")
    return path


def test_the_deleted_rows_of_the_tables_dbt_writes(warehouse):
    with duckdb.connect(str(warehouse)) as con:
        assert deleted_row_shares(con) == {"marts.redone": pytest.approx(0.15)}
        assert deleted_share(con) == pytest.approx(150 / 2000)


@pytest.mark.parametrize(("dead_share", "due"), [(0.05, True), (0.075, True), (0.1, False)])
def test_compaction_is_due_from_the_configured_share_of_all_stored_rows(warehouse, dead_share, due):
    with duckdb.connect(str(warehouse)) as con:
        assert compaction_due(con, dead_share) is due


def test_a_share_of_0_compacts_every_build(tmp_path):
    with duckdb.connect(str(tmp_path / "clean.duckdb")) as con:
        con.execute("create schema marts")
        con.execute("create table marts.t as select 1 as id")
        assert deleted_row_shares(con) == {}
        assert deleted_share(con) == 0.0
        assert compaction_due(con, 0.0)
        assert not compaction_due(con, 0.1)


@pytest.mark.parametrize(
    ("vacuum", "stored"), [("set global max_vacuum_tasks = 0", 245760), ("", 45760)]
)
def test_duckdb_merges_row_groups_emptied_by_deletes_unless_told_not_to(tmp_path, vacuum, stored):
    """What the policy relies on: two row groups left a fifth full by deletions are merged into
    one (rewritten) at a checkpoint, unless the build's hook has turned the merging off."""
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        con.execute("create schema marts")
        con.execute("create table marts.t as select range as id from range(245760)")  # 2 groups
        con.execute("checkpoint")
        if vacuum:
            con.execute(vacuum)
        con.execute("delete from marts.t where id % 122880 >= 22880")
        con.execute("checkpoint")
        assert con.execute("select count(*) from marts.t").fetchone() == (45760,)
        assert con.execute(
            "select estimated_size from duckdb_tables() where table_name = 't'"
        ).fetchone() == (stored,)
