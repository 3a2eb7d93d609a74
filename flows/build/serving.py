"""The analysts' copy of the warehouse: the marts only, without personal keys.

Every publish writes ``<name>.serving.duckdb`` beside the warehouse (``warehouse.serving.duckdb``
for ``warehouse.duckdb``). It holds one table per mart under ``marts`` (and the statistics
macros dbt persisted there) and nothing else: no ``raw``, ``staging`` or ``intermediate``
schema, no ``buyer_id`` and no phone hash, and not the two data-quality marts that hold raw
export values (``RAW_VALUE_MARTS``). The SQL console (``flows.console``) opens only this file, so
whatever a query does (table functions, EXPLAIN, serialized plans, catalog views) it can only
reach what analysts may read.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

# Columns that identify a buyer: kept in the warehouse's ``restricted`` schema (no mart holds
# them), and never copied for analysts should a mart ever gain one.
PERSONAL_COLUMNS = frozenset({"buyer_id", "buyer_phone_hash", "phone_hash"})
# Marts holding rows as the exports wrote them (quarantined records, invalid values): for the
# quality managers' data-quality page, not for the console.
RAW_VALUE_MARTS = frozenset({"dq_quarantine", "dq_warnings"})


def is_personal(column: str) -> bool:
    return column.lower() in PERSONAL_COLUMNS or column.lower().endswith("_phone_hash")


def serving_path(live: Path | str) -> Path:
    """Where the analysts' copy of the warehouse ``live`` is published."""
    live = Path(os.path.realpath(live))
    return live.with_name(f"{live.stem}.serving{live.suffix or '.duckdb'}")


def write_serving_copy(source: Path, dest: Path) -> list[str]:
    """Write the marts of ``source`` (minus personal columns) into a new DuckDB file ``dest``.

    Returns the tables copied. ``source`` must not be open for writing in this process.
    """
    dest.unlink(missing_ok=True)
    dest.with_name(dest.name + ".wal").unlink(missing_ok=True)
    copied: list[str] = []
    with duckdb.connect(str(dest)) as con:
        con.execute("attach ? as src (read_only)", [str(source)])
        con.execute("create schema marts")
        columns = con.execute(
            """select table_name, column_name from information_schema.columns
               where table_catalog = 'src' and table_schema = 'marts'
               order by table_name, ordinal_position"""
        ).fetchall()
        per_table: dict[str, list[str]] = {}
        for table, column in columns:
            per_table.setdefault(table, []).append(column)
        for table, names in per_table.items():
            if table in RAW_VALUE_MARTS:
                continue
            kept = [name for name in names if not is_personal(name)]
            if not kept:
                continue
            select = ", ".join(_quote(name) for name in kept)
            con.execute(
                f"create table marts.{_quote(table)} as select {select} "
                f"from src.marts.{_quote(table)}"
            )
            copied.append(table)
        # The statistics macros dbt persisted (marts.wilson_low, …): analysts call them too.
        macros = con.execute(
            """select function_name, parameters, macro_definition from duckdb_functions()
               where database_name = 'src' and schema_name = 'marts'
                   and function_type = 'macro'"""
        ).fetchall()
        for name, parameters, definition in macros:
            arguments = ", ".join(_quote(parameter) for parameter in parameters)
            con.execute(f"create macro marts.{_quote(name)}({arguments}) as {definition}")
        con.execute("detach src")
        con.execute("checkpoint")
    return copied


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
