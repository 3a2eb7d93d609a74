"""The SQL console's guarded execution, independent of Streamlit.

Two layers keep an analyst's query harmless:

1. The connection itself: read-only, ``enable_external_access = false`` (no files, no network, no
   ATTACH, no INSTALL/LOAD) and ``lock_configuration = true`` (no ``SET`` can undo that). Writes are
   refused by DuckDB because the file is opened read-only.
2. A statement check before running: exactly one ``SELECT`` (or ``EXPLAIN``) statement, reading only
   ``marts`` tables (the marts are the analysts' contract; ``raw`` holds the phone hashes).

The query runs in a worker thread; after the time limit the main thread calls ``interrupt()`` on
the connection. At most ``max_rows`` rows are fetched. Every failure becomes a one-line message and
the connection is closed, so the console keeps answering.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

SAFE_CONFIG = {"enable_external_access": False, "lock_configuration": True}
ALLOWED_SCHEMAS = {"marts"}
DENIED_TABLE_FUNCTIONS = {"query", "query_table"}


class QueryRefused(Exception):
    """The statement check or the database refused the query; the message says why."""


@dataclasses.dataclass
class ConsoleResult:
    frame: pd.DataFrame | None
    error: str | None
    truncated: bool
    seconds: float


def connect(path: Path | str) -> duckdb.DuckDBPyConnection:
    """A console connection: read-only, no external access, configuration locked."""
    con = duckdb.connect(str(path), read_only=True, config=dict(SAFE_CONFIG))
    con.execute("set search_path = 'marts'")
    return con


def marts_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts'"
    ).fetchall()
    return {row[0] for row in rows}


def check_statement(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Refuse anything but one SELECT/EXPLAIN statement over marts tables."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(_one_line(exc)) from None
    if len(statements) != 1:
        raise QueryRefused("enter exactly one statement" if statements else "the query is empty")
    kind = statements[0].type
    if kind not in (duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN):
        raise QueryRefused(
            f"only read queries (SELECT) are allowed; this is a {kind.name} statement"
        )
    if kind == duckdb.StatementType.EXPLAIN:
        return
    tree = json.loads(con.execute("select json_serialize_sql(?)", [sql]).fetchone()[0])
    if tree.get("error"):
        raise QueryRefused(tree.get("error_message") or "the query could not be parsed")
    known = marts_tables(con)
    ctes = set(_cte_names(tree))
    for node in _walk(tree):
        if node.get("type") == "BASE_TABLE":
            schema, name = node.get("schema_name") or "", node.get("table_name") or ""
            catalog = node.get("catalog_name") or ""
            if schema.lower() in ALLOWED_SCHEMAS and not catalog:
                continue
            if not schema and not catalog and (name in ctes or name in known):
                continue
            shown = ".".join(part for part in (catalog, schema, name) if part)
            raise QueryRefused(f"the console reads the marts schema only; {shown} is not a mart")
        if node.get("type") == "TABLE_FUNCTION":
            function = (node.get("function") or {}).get("function_name", "")
            if function.lower() in DENIED_TABLE_FUNCTIONS:
                raise QueryRefused(f"the table function {function}() is not allowed here")


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _cte_names(tree: Any) -> Iterator[str]:
    for node in _walk(tree):
        cte_map = node.get("cte_map")
        if isinstance(cte_map, dict):
            for entry in cte_map.get("map", []):
                if isinstance(entry, dict) and "key" in entry:
                    yield entry["key"]


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def run_query(
    path: Path | str, sql: str, *, timeout_seconds: float = 10.0, max_rows: int = 5000
) -> ConsoleResult:
    """Run one analyst query under the console's guards; never raises for a bad query."""
    started = time.perf_counter()
    try:
        con = connect(path)
    except duckdb.Error as exc:
        return ConsoleResult(None, _one_line(exc), False, 0.0)
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            check_statement(con, sql)
            cursor = con.execute(sql)
            columns = [column[0] for column in cursor.description or []]
            rows = cursor.fetchmany(max_rows + 1)
            outcome["frame"] = pd.DataFrame(rows[:max_rows], columns=columns)
            outcome["truncated"] = len(rows) > max_rows
        except QueryRefused as exc:
            outcome["error"] = str(exc)
        except Exception as exc:  # DuckDB's own refusal or an SQL error: show its first line
            outcome["error"] = _one_line(exc)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(timeout_seconds)
    timed_out = worker.is_alive()
    if timed_out:
        con.interrupt()
        worker.join(5)
    with contextlib.suppress(duckdb.Error):
        con.close()
    seconds = time.perf_counter() - started
    if timed_out:
        return ConsoleResult(
            None, f"the query ran longer than {timeout_seconds:g} s and was stopped", False, seconds
        )
    if "error" in outcome:
        return ConsoleResult(None, outcome["error"], False, seconds)
    return ConsoleResult(outcome["frame"], None, outcome["truncated"], seconds)


DBT_TARGET = Path(__file__).resolve().parents[1] / "target"


def schema(path: Path | str, docs_dir: Path | str = DBT_TARGET) -> pd.DataFrame:
    """Every mart column with its type and, when dbt docs exist, its description (a row with an
    empty column name carries the table's own description)."""
    with duckdb.connect(str(path), read_only=True, config=dict(SAFE_CONFIG)) as con:
        frame = con.execute(
            """select table_name, column_name, data_type from information_schema.columns
               where table_schema = 'marts' order by table_name, ordinal_position"""
        ).df()
    docs = column_docs(Path(docs_dir))
    tables = pd.DataFrame({"table_name": frame["table_name"].unique()})
    tables["column_name"], tables["data_type"] = "", ""
    frame = pd.concat([tables, frame], ignore_index=True)
    frame["doc"] = [
        docs.get((table, column), "")
        for table, column in zip(frame["table_name"], frame["column_name"], strict=True)
    ]
    # Stable sort by table only: the table's own row first, then columns in their order.
    return frame.sort_values("table_name", kind="stable", ignore_index=True)


def column_docs(target: Path) -> dict[tuple[str, str], str]:
    """(table, column) → description of the marts from dbt's manifest, (table, "") for the
    table itself; empty when there are no docs."""
    manifest = target / "manifest.json"
    try:
        nodes = json.loads(manifest.read_text(encoding="utf-8")).get("nodes", {})
    except (OSError, ValueError):
        return {}
    docs: dict[tuple[str, str], str] = {}
    for node in nodes.values():
        if node.get("resource_type") != "model" or node.get("schema", "marts") != "marts":
            continue
        table = node.get("alias") or node.get("name")
        if node.get("description"):
            docs[(table, "")] = node["description"]
        for column, info in (node.get("columns") or {}).items():
            if info.get("description"):
                docs[(table, column)] = info["description"]
    return docs
