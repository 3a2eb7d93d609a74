"""Folding a validated batch into ``raw.<entity>`` by the contract's upsert rules.

- complaints: per complaint_id the row with the latest ``updated_at`` wins whatever the load
  order; on equal ``updated_at`` the later-ingested row wins.
- complaint_events: append-only, identified by (complaint_id, event_type, occurred_at instant); a
  row whose identity is already loaded is a duplicate.
- orders, merchants, skus, corrective_actions: rows of a later-ingested file replace earlier rows
  with the same key.
Exact repeats of a loaded row (same key, equal values after parsing) are duplicates in every case.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from flows.landing.entities import Entity
from flows.landing.schema import LINEAGE
from flows.landing.sqltext import ident


@dataclass(frozen=True)
class MergeCounts:
    loaded: int
    duplicate: int
    superseded: int  # loaded rows that an equal-or-newer state already outranks (complaints)


def _on(keys: tuple[str, ...], left: str, right: str) -> str:
    return " and ".join(f"{left}.{ident(k)} = {right}.{ident(k)}" for k in keys)


def merge_batch(
    con: duckdb.DuckDBPyConnection,
    entity: Entity,
    value_cols: list[str],
    file_id: str,
    ingested_at: str,
) -> MergeCounts:
    """Merge temp table ``batch`` (distinct valid rows with ``_row_hash``) into the raw table."""
    table = f"raw.{entity.name}"
    keys = entity.key
    con.execute(
        f"""
        create or replace temp table batch_new as
        select * from batch as b
        where not exists (
            select 1 from {table} as r where {_on(keys, "r", "b")} and r._row_hash = b._row_hash
        )
        """
    )
    total = con.execute("select count(*) from batch").fetchone()[0]
    repeats = total - con.execute("select count(*) from batch_new").fetchone()[0]
    cols = ", ".join(ident(c) for c in value_cols)
    lineage = "?, _row_number, cast(? as timestamptz), _row_hash"
    params = [file_id, ingested_at]
    superseded = 0
    identity_duplicates = 0
    if entity.name == "complaint_events":
        con.execute(
            f"""
            create or replace temp table batch_insert as
            select * from batch_new as b
            where not exists (select 1 from {table} as r where {_on(keys, "r", "b")})
            """
        )
        identity_duplicates = (
            con.execute("select count(*) from batch_new").fetchone()[0]
            - con.execute("select count(*) from batch_insert").fetchone()[0]
        )
    elif entity.name == "complaints":
        con.execute(
            """
            create or replace temp table batch_latest as
            select * from batch_new
            qualify row_number() over (
                partition by complaint_id order by updated_at desc, _row_hash desc
            ) = 1
            """
        )
        con.execute(
            f"""
            delete from {table} as r using batch_latest as b
            where r.complaint_id = b.complaint_id and r.updated_at <= b.updated_at
            """
        )
        con.execute(
            f"""
            create or replace temp table batch_insert as
            select * from batch_latest as b
            where not exists (select 1 from {table} as r where r.complaint_id = b.complaint_id)
            """
        )
        superseded = (
            con.execute("select count(*) from batch_new").fetchone()[0]
            - con.execute("select count(*) from batch_insert").fetchone()[0]
        )
    else:
        con.execute(f"delete from {table} as r using batch_new as b where {_on(keys, 'r', 'b')}")
        con.execute("create or replace temp table batch_insert as select * from batch_new")
    lineage_cols = ", ".join(ident(name) for name, _ in LINEAGE)
    con.execute(
        f"insert into {table} ({cols}, {lineage_cols}) "
        f"select {cols}, {lineage} from batch_insert order by _row_number",
        params,
    )
    for temp in ("batch_new", "batch_insert", "batch_latest"):
        con.execute(f"drop table if exists {temp}")
    loaded = total - repeats - identity_duplicates
    return MergeCounts(
        loaded=loaded, duplicate=repeats + identity_duplicates, superseded=superseded
    )
