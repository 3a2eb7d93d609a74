"""The SQL console refuses everything but reading marts, stops runaway queries, keeps working."""

from __future__ import annotations

import time

import duckdb
import pytest

from dashboards import sql_console

REFUSED = {
    "read_csv": "select * from read_csv('/etc/passwd')",
    "copy_to": "COPY (select 1) TO '/tmp/x.csv'",
    "attach": "ATTACH '/tmp/x.duckdb'",
    "install": "INSTALL httpfs",
    "load": "LOAD httpfs",
    "set_external": "SET enable_external_access=true",
    "create_table": "create table marts.x as select 1 as a",
    "insert": "insert into marts.build_info select * from marts.build_info",
    "raw_schema": "select * from raw.complaints",
    "query_function": "select * from query('select 1')",
    "two_statements": "select 1; select 2",
}


def _assert_still_answers(warehouse):
    result = sql_console.run_query(warehouse, "select count(*) as n from marts.complaints")
    assert result.error is None
    with duckdb.connect(str(warehouse), read_only=True) as con:
        expected = con.execute("select count(*) from marts.complaints").fetchone()[0]
    assert result.frame["n"].tolist() == [expected]


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_console_refuses(warehouse, name):
    result = sql_console.run_query(warehouse, REFUSED[name], timeout_seconds=5)
    assert result.frame is None
    assert result.error and "\n" not in result.error
    _assert_still_answers(warehouse)


# The connection alone (without the statement check) must refuse each of these too.
CONNECTION_REFUSES = {
    "read_csv": ("select * from read_csv('/etc/passwd')", "disabled by configuration"),
    "copy_to": ("COPY (select 1) TO '/tmp/x.csv'", "disabled by configuration"),
    "attach": ("ATTACH '/tmp/x.duckdb'", "disabled by configuration"),
    "install": ("INSTALL httpfs", "disabled by configuration"),
    "load": ("LOAD httpfs", "disabled through configuration"),
    "set_external": ("SET enable_external_access=true", "locked"),
    "create_table": ("create table marts.x as select 1 as a", "read-only"),
    "insert": ("insert into marts.build_info select * from marts.build_info", "read-only"),
}


@pytest.mark.parametrize("name", sorted(CONNECTION_REFUSES))
def test_connection_itself_refuses(warehouse, name, tmp_path):
    sql, message = CONNECTION_REFUSES[name]
    con = sql_console.connect(warehouse)
    try:
        with pytest.raises(duckdb.Error, match=message):
            con.execute(sql)
    finally:
        con.close()
    assert not (tmp_path / "x.csv").exists()


def test_refusal_messages_say_why(warehouse):
    assert "SELECT" in sql_console.run_query(warehouse, REFUSED["attach"]).error
    assert "marts" in sql_console.run_query(warehouse, REFUSED["raw_schema"]).error


def test_runaway_query_is_stopped(warehouse):
    started = time.perf_counter()
    result = sql_console.run_query(
        warehouse,
        "select count(*) from range(100000000) as a, range(100000000) as b",
        timeout_seconds=1.5,
    )
    elapsed = time.perf_counter() - started
    assert result.error is not None and "1.5 s" in result.error
    assert elapsed < 8
    _assert_still_answers(warehouse)


def test_row_cap_truncates(warehouse):
    result = sql_console.run_query(warehouse, "select * from range(100)", max_rows=10)
    assert result.truncated and len(result.frame) == 10
    result = sql_console.run_query(warehouse, "select * from range(10)", max_rows=10)
    assert not result.truncated and len(result.frame) == 10


def test_marts_and_ctes_are_allowed(warehouse):
    result = sql_console.run_query(
        warehouse,
        """with worst as (select merchant_id, max(defect_rate) as worst
                          from merchant_defect_rates_weekly group by merchant_id)
           select w.merchant_id, w.worst, c.n from worst as w
           join (select merchant_id, count(*) as n from marts.complaints group by 1) as c
             using (merchant_id) order by 1""",
    )
    assert result.error is None
    with duckdb.connect(str(warehouse), read_only=True) as con:
        (expected,) = con.execute(
            """select count(distinct merchant_id) from marts.complaints
               where merchant_id in (select merchant_id from marts.merchant_defect_rates_weekly)"""
        ).fetchone()
    assert len(result.frame) == expected > 1


def test_sql_error_is_one_line(warehouse):
    result = sql_console.run_query(warehouse, "select no_such_column from marts.complaints")
    assert result.error and "no_such_column" in result.error and "\n" not in result.error


def test_schema_lists_marts_without_docs(warehouse, tmp_path):
    frame = sql_console.schema(warehouse, docs_dir=tmp_path)
    assert {"complaints", "build_info", "merchant_scorecard_weekly"} <= set(frame["table_name"])
    assert (frame["doc"] == "").all()
    assert "buyer_phone_masked" in set(frame["column_name"])


def test_schema_uses_dbt_docs_when_present(warehouse, tmp_path):
    (tmp_path / "manifest.json").write_text(
        '{"nodes": {"model.x.complaints": {"resource_type": "model", "name": "complaints",'
        ' "schema": "marts", "description": "one row per complaint",'
        ' "columns": {"status": {"description": "latest status"}}},'
        ' "model.x.stg": {"resource_type": "model", "name": "build_info", "schema": "staging",'
        ' "columns": {"as_of": {"description": "not a mart"}}}}}'
    )
    frame = sql_console.schema(warehouse, docs_dir=tmp_path)
    docs = frame.set_index(["table_name", "column_name"])["doc"]
    assert docs[("complaints", "status")] == "latest status"
    assert docs[("complaints", "")] == "one row per complaint"
    assert docs[("complaints", "channel")] == ""
    assert docs[("build_info", "as_of")] == ""
    complaints = frame[frame["table_name"] == "complaints"]["column_name"].tolist()
    assert complaints[:3] == ["", "complaint_id", "order_id"]


def test_analysts_call_the_marts_statistics(warehouse):
    """The Wilson bounds the marts use are persisted in the warehouse (dbt on-run-end)."""
    result = sql_console.run_query(
        warehouse,
        """select wilson_low(0, 7) as low0, wilson_high(7, 7) as high7,
                  max(abs(wilson_low(defect_lines, order_lines) - defect_rate_ci_low)) as gap
           from merchant_defect_rates_weekly""",
    )
    assert result.error is None, result.error
    row = result.frame.iloc[0]
    assert row["low0"] == 0 and row["high7"] == 1 and row["gap"] == 0
