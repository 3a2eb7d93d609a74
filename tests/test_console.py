"""The SQL console (``complaints sql`` and the dashboard page): safe by construction.

Queries run on the analysts' copy published beside the warehouse (marts only, no personal keys)
in a worker process with memory, temp-space and thread caps and a hard kill at the time limit.
Each escape the console once allowed is a test here, against a warehouse whose restricted parts
(``raw``, ``buyer_id``, phone hashes) hold a planted secret that must never come back.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import duckdb
import pytest

from flows import console
from flows.build.serving import serving_path
from flows.console import ConsoleLimits, run_query
from flows.warehouse import publishing

SECRET = "13912345678"
SECRET_HASH = "f00dfeedcafe5ec12e7"


@pytest.fixture(scope="module")
def published(tmp_path_factory, small_warehouse) -> Path:
    """A live warehouse published the usual way, with restricted data planted in it."""
    root = tmp_path_factory.mktemp("console")
    live = root / "warehouse.duckdb"
    with publishing(live) as staging:
        shutil.copyfile(small_warehouse, staging)
        with duckdb.connect(str(staging)) as con:
            con.execute("create schema if not exists raw")
            con.execute(
                "create or replace table raw.orders as "
                "select ? as buyer_phone, ? as buyer_phone_hash",
                [SECRET, SECRET_HASH],
            )
            con.execute(
                "update restricted.complaint_buyers set buyer_phone_hash = ?", [SECRET_HASH]
            )
            con.execute("create schema if not exists staging")
            con.execute(f"create or replace view staging.v as select '{SECRET}' as phone")
    return live


def ask(live: Path, sql: str, **limits) -> console.ConsoleResult:
    return run_query(serving_path(live), sql, ConsoleLimits(**{"timeout_seconds": 20, **limits}))


def _text(result: console.ConsoleResult) -> str:
    frame = "" if result.frame is None else result.frame.to_csv(index=False)
    return f"{result.error or ''}\n{frame}"


# Each reached restricted tables or personal keys (or their metadata) before the analysts' copy.
ESCAPES = {
    "serialized_plan": "select * from json_execute_serialized_sql("
    "json_serialize_sql('select * from raw.orders'))",
    "explain": "explain select * from raw.orders",
    "explain_analyze": "explain analyze select buyer_phone from raw.orders",
    "error_echo": "select cast(buyer_phone as integer) from raw.orders",
    "storage_info": "select * from pragma_storage_info('raw.orders')",
    "views": "select * from duckdb_views()",
    "tables": "select * from duckdb_tables()",
    "columns": "select * from duckdb_columns()",
    "settings": "select * from duckdb_settings()",
    "databases": "select * from duckdb_databases()",
    "personal_column": "select buyer_id, buyer_phone_hash from marts.complaints",
    "star": "select * from marts.complaints",
    "staging_view": "select * from staging.v",
    "query_function": "select * from query('select * from raw.orders')",
    "restricted_schema": "select * from restricted.complaint_buyers",
    "restricted_unqualified": "select * from complaint_buyers",
}


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_no_escape_reaches_restricted_data(published, name):
    result = ask(published, ESCAPES[name])
    text = _text(result)
    assert SECRET not in text and SECRET_HASH not in text
    # No answer names a restricted table or personal column (an error may quote the query).
    answer = "" if result.frame is None else result.frame.to_csv(index=False)
    assert "buyer_id" not in answer and "phone_hash" not in answer
    assert "raw" not in answer.split(",") and "staging" not in answer.split(",")
    # The live warehouse's own name never shows (only the analysts' copy is open).
    assert str(published) not in text.replace(str(serving_path(published)), "")


def test_the_analysts_copy_holds_marts_without_personal_keys(published):
    with duckdb.connect(str(serving_path(published)), read_only=True) as con:
        schemas = {s for (s,) in con.execute("select schema_name from duckdb_tables()").fetchall()}
        columns = {c for (c,) in con.execute("select column_name from duckdb_columns()").fetchall()}
        (tables,) = con.execute("select count(*) from duckdb_tables()").fetchone()
    assert schemas == {"marts"} and tables >= 20
    assert not {"buyer_id", "buyer_phone_hash"} & columns
    (names,) = zip(*con_tables(serving_path(published)), strict=True)
    assert not {"dq_quarantine", "dq_warnings"} & set(names)  # raw export values
    assert "dq_freshness" in names
    assert "buyer_phone_masked" in columns  # masked values are for analysts


def test_personal_keys_live_only_in_the_restricted_schema(published):
    """The warehouse keeps buyer ids and phone hashes for the privacy officer in ``restricted``;
    no mart publishes them, so the analysts' copy needs no column filter to leave them out."""
    with duckdb.connect(str(published), read_only=True) as con:
        personal = con.execute(
            """select table_schema, table_name, column_name from information_schema.columns
               where column_name in ('buyer_id', 'buyer_phone_hash')
                   and table_schema not in ('raw', 'staging', 'intermediate')
               order by all"""
        ).fetchall()
        held = con.execute(
            "select count(buyer_id), count(buyer_phone_hash), count(*) "
            "from restricted.complaint_buyers"
        ).fetchone()
        (complaints,) = con.execute("select count(*) from marts.complaints").fetchone()
    assert personal == [
        ("restricted", "complaint_buyers", "buyer_id"),
        ("restricted", "complaint_buyers", "buyer_phone_hash"),
    ]
    assert held[0] > 0 and held[1] > 0 and held[2] == complaints
    with duckdb.connect(str(serving_path(published)), read_only=True) as con:
        schemas = {s for (s,) in con.execute("select schema_name from duckdb_schemas()").fetchall()}
    assert "restricted" not in schemas


def con_tables(path: Path) -> list[tuple[str]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select table_name from duckdb_tables()").fetchall()


def test_the_copy_is_published_with_the_warehouse(published, tmp_path):
    live = tmp_path / "w.duckdb"
    shutil.copyfile(published, live)
    for value in (1, 2):
        with publishing(live) as staging, duckdb.connect(str(staging)) as con:
            con.execute("create or replace table marts.build_info as select ? as v", [value])
        assert ask(live, "select v from build_info").frame["v"].tolist() == [value]
    assert oct(os.stat(serving_path(live)).st_mode & 0o777) == oct(0o640)
    assert oct(os.stat(live).st_mode & 0o777) == oct(0o640)


REFUSED = {
    "read_csv": "select * from read_csv('/etc/passwd')",
    "copy_to": "COPY (select 1) TO '{tmp}/x.csv'",
    "attach": "ATTACH '{tmp}/x.duckdb'",
    "install": "INSTALL httpfs",
    "load": "LOAD httpfs",
    "set_external": "SET enable_external_access=true",
    "set_memory": "SET memory_limit='64GB'",
    "read_memory_cap": "select current_setting('memory_limit')",
    "create_table": "create table marts.x as select 1 as a",
    "insert": "insert into marts.build_info select * from marts.build_info",
    "two_statements": "select 1; select 2",
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_console_refuses_writes_files_and_settings(published, name, tmp_path):
    result = ask(published, REFUSED[name].format(tmp=tmp_path))
    if name == "read_memory_cap":  # reading the cap is harmless: it is the console's own
        assert result.error is None and "MiB" in str(result.frame.iloc[0, 0])
        return
    assert result.frame is None
    assert result.error and "\n" not in result.error
    assert not list(tmp_path.iterdir())
    assert ask(published, "select count(*) as n from complaints").frame["n"].iloc[0] > 0


def _workers() -> list[int]:
    """Console worker processes still alive."""
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if str(console.WORKER).encode() in command:
                alive.append(int(entry.name))
    return alive


def test_runaway_query_is_killed_at_the_time_limit(published):
    started = time.perf_counter()
    result = ask(
        published,
        "select count(*) from range(100000000) as a, range(100000000) as b",
        timeout_seconds=1.5,
    )
    elapsed = time.perf_counter() - started
    assert result.error is not None and "1.5 s" in result.error
    assert elapsed < 5
    assert _workers() == []  # killed, not left running after "stopped"


def test_memory_cap_stops_a_query(published):
    result = ask(published, "select list(range) from range(200000000)", memory_limit="128MB")
    assert result.error is not None and "Out of Memory" in result.error
    assert _workers() == []


def test_temp_space_cap_stops_a_spilling_query(published):
    result = ask(
        published,
        "select max(r) from (select row_number() over (order by hash(i)) as r"
        " from range(20000000) as t(i))",
        memory_limit="64MB",
        temp_limit="16MB",
    )
    assert result.error is not None and "offload" in result.error


def test_worker_over_its_resident_memory_is_killed(published, monkeypatch):
    monkeypatch.setattr(console, "PAGE_SIZE", 2**40)  # every worker now looks too big
    result = ask(published, "select count(*) from range(100000000) as a, range(1000) as b")
    assert result.error is not None and "memory" in result.error
    assert _workers() == []


def test_thread_cap_applies(published):
    result = ask(published, "select current_setting('threads') as t", threads=1)
    assert result.frame["t"].tolist() == [1]


def test_row_cap_truncates(published):
    result = ask(published, "select * from range(100)", max_rows=10)
    assert result.truncated and len(result.frame) == 10
    result = ask(published, "select * from range(10)", max_rows=10)
    assert not result.truncated and len(result.frame) == 10


def test_marts_and_ctes_are_allowed(published):
    result = ask(
        published,
        """with worst as (select merchant_id, max(defect_rate) as worst
                          from merchant_defect_rates_weekly group by merchant_id)
           select w.merchant_id, w.worst, c.n from worst as w
           join (select merchant_id, count(*) as n from marts.complaints group by 1) as c
             using (merchant_id) order by 1""",
    )
    assert result.error is None
    with duckdb.connect(str(published), read_only=True) as con:
        (expected,) = con.execute(
            """select count(distinct merchant_id) from marts.complaints
               where merchant_id in (select merchant_id from marts.merchant_defect_rates_weekly)"""
        ).fetchone()
    assert len(result.frame) == expected > 1


def test_analysts_call_the_marts_statistics(published):
    """The Wilson bounds the marts use are persisted with them (dbt on-run-end) and copied into
    the analysts' copy."""
    result = ask(
        published,
        """select wilson_low(0, 7) as low0, wilson_high(7, 7) as high7,
                  max(abs(wilson_low(defect_lines, order_lines) - defect_rate_ci_low)) as gap
           from merchant_defect_rates_weekly""",
    )
    assert result.error is None, result.error
    row = result.frame.iloc[0]
    assert row["low0"] == 0 and row["high7"] == 1 and row["gap"] == 0


def test_sql_error_is_one_line(published):
    result = ask(published, "select no_such_column from marts.complaints")
    assert result.error and "no_such_column" in result.error and "\n" not in result.error


def test_missing_copy_says_how_to_publish_it(tmp_path):
    result = ask(tmp_path / "w.duckdb", "select 1")
    assert result.error and "complaints build" in result.error


def test_schema_lists_marts_without_docs(published, tmp_path):
    frame = console.schema(serving_path(published), docs_dir=tmp_path)
    assert {"complaints", "build_info", "merchant_scorecard_weekly"} <= set(frame["table_name"])
    assert (frame["doc"] == "").all()
    assert "buyer_phone_masked" in set(frame["column_name"])
    assert "buyer_id" not in set(frame["column_name"])


def test_schema_uses_dbt_docs_when_present(published, tmp_path):
    (tmp_path / "manifest.json").write_text(
        '{"nodes": {"model.x.complaints": {"resource_type": "model", "name": "complaints",'
        ' "schema": "marts", "description": "one row per complaint",'
        ' "columns": {"status": {"description": "latest status"}}},'
        ' "model.x.stg": {"resource_type": "model", "name": "build_info", "schema": "staging",'
        ' "columns": {"as_of": {"description": "not a mart"}}}}}'
    )
    frame = console.schema(serving_path(published), docs_dir=tmp_path)
    docs = frame.set_index(["table_name", "column_name"])["doc"]
    assert docs[("complaints", "status")] == "latest status"
    assert docs[("complaints", "")] == "one row per complaint"
    assert docs[("complaints", "channel")] == ""
    assert docs[("build_info", "as_of")] == ""
    complaints = frame[frame["table_name"] == "complaints"]["column_name"].tolist()
    assert complaints[:3] == ["", "complaint_id", "order_id"]
