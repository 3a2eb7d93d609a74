"""Builds publish atomically: readers keep a consistent old view, failures keep the last good file,
and rebuilding unchanged input gives identical marts."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from flows.build.run import build_and_publish
from flows.config import Settings
from flows.errors import UserError
from flows.warehouse import read_only

MART_TABLES = "select table_name from information_schema.tables where table_schema = 'marts'"


def _snapshot(path, skip=("build_info",)) -> dict[str, list]:
    with read_only(path) as con:
        names = [name for (name,) in con.execute(MART_TABLES).fetchall() if name not in skip]
        return {
            name: con.execute(f"select * from marts.{name} order by all").fetchall()
            for name in sorted(names)
        }


@pytest.fixture()
def built_copy(hand_build, tmp_path):
    live, _ = hand_build
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(live, copy)
    return copy


def test_rebuild_with_unchanged_input_is_identical(built_copy, dbt_dirs):
    before = _snapshot(built_copy)
    build_and_publish(built_copy, Settings(), **dbt_dirs)
    after = _snapshot(built_copy)
    assert before.keys() == after.keys() and len(before) >= 20
    assert before == after


def test_reader_during_build_keeps_old_state_then_sees_new(built_copy, dbt_dirs):
    with duckdb.connect(str(built_copy)) as con:  # new data: one more order line
        con.execute(
            "insert into raw.orders (order_id, sku_id, merchant_id, quantity, ordered_at) "
            "values ('NEW1', 'S3', 'M2', 1, timestamptz '2026-01-06 11:00:00+08:00')"
        )
    with read_only(built_copy) as reader:
        old = reader.execute("select sum(order_lines) from marts.merchant_defect_rates_weekly")
        old_total = old.fetchone()[0]
        result = build_and_publish(built_copy, Settings(), **dbt_dirs)
        assert result.success
        # The open connection still reads the file it opened: the old, consistent marts.
        again = reader.execute("select sum(order_lines) from marts.merchant_defect_rates_weekly")
        assert again.fetchone()[0] == old_total
    with read_only(built_copy) as reader:
        new = reader.execute("select sum(order_lines) from marts.merchant_defect_rates_weekly")
        assert new.fetchone()[0] == old_total + 1


def test_failed_build_names_the_test_and_keeps_last_good(built_copy, dbt_dirs):
    before = _snapshot(built_copy)
    with duckdb.connect(str(built_copy)) as con:  # a duplicated complaint breaks a primary key
        con.execute(
            "insert into raw.complaints select * from raw.complaints where complaint_id = 'C1'"
        )
    with pytest.raises(UserError, match=r"unique.*complaint_id") as failure:
        build_and_publish(built_copy, Settings(), **dbt_dirs)
    assert "not published" in str(failure.value)
    assert _snapshot(built_copy) == before


def test_as_of_override_changes_maturity(built_copy, dbt_dirs):
    # Months after the hand-built data: deliberately outside its span, so it needs force.
    with pytest.raises(UserError, match="lies outside the loaded data"):
        build_and_publish(built_copy, Settings(), "2026/06/01 00:00", **dbt_dirs)
    result = build_and_publish(built_copy, Settings(), "2026/06/01 00:00", force=True, **dbt_dirs)
    assert result.as_of == "2026-06-01T00:00:00+08:00"
    with read_only(built_copy) as con:
        as_of = con.execute(
            "select as_of = timestamptz '2026-05-31 16:00:00+00' from marts.build_info"
        )
        assert as_of.fetchone() == (True,)
        mature = con.execute("select bool_and(is_mature) from marts.merchant_defect_rates_weekly")
        assert mature.fetchone() == (True,)


def test_build_without_warehouse_is_a_clear_error(tmp_path):
    with pytest.raises(UserError, match="no warehouse"):
        build_and_publish(tmp_path / "missing.duckdb", Settings())


def test_dbt_usage_tracking_is_off_after_a_build(hand_build):
    import dbt.tracking

    user = dbt.tracking.active_user
    assert user is None or user.do_not_track


def test_a_warehouse_ingested_by_an_older_release_still_builds(built_copy, dbt_dirs):
    # meta.assumed_values came with profile defaults; a warehouse ingested before has none.
    with duckdb.connect(str(built_copy)) as con:
        con.execute("drop table meta.assumed_values")
    result = build_and_publish(built_copy, Settings(), **dbt_dirs)
    assert result.success
    with read_only(built_copy) as con:
        assert con.execute("select count(*) from marts.dq_assumed_values").fetchone() == (0,)
