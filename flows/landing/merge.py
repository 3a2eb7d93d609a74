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

from flows.contract import Entity
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
    """Merge temp view ``batch`` (distinct valid rows of one file) into the raw table."""
    table = f"raw.{entity.name}"
    keys = entity.key
    total = con.execute("select count(*) from batch").fetchone()[0]
    lineage = "?, _row_number, cast(? as timestamptz)"
    params = [file_id, ingested_at]
    cols = ", ".join(ident(c) for c in value_cols)
    if not _exists(con, table):
        # First load of the entity: nothing to compare with, the batch goes in as it is
        # (complaints still keep one state per complaint_id).
        source = "batch"
        superseded = 0
        if entity.name == "complaints":
            con.execute(f"create or replace temp table batch_insert as {_latest('batch', cols)}")
            source = "batch_insert"
            superseded = total - con.execute("select count(*) from batch_insert").fetchone()[0]
        _insert(con, table, cols, lineage, source, params)
        return MergeCounts(loaded=total, duplicate=0, superseded=superseded)
    loaded_keys = f"batch as b semi join {table} as r on {_on(keys, 'b', 'r')}"
    if entity.name != "complaints" and not _exists(con, loaded_keys):
        # Say, a new month of orders: nothing to skip or replace. Asking with the keys alone
        # costs half of collecting the hits with all their columns.
        _insert(con, table, cols, lineage, "batch", params)
        return MergeCounts(loaded=total, duplicate=0, superseded=0)
    # The rows whose key is already loaded (re-deliveries, corrections) are usually a small share
    # of a file: every comparison with the whole table runs on them alone, the table is probed
    # once on its key columns.
    con.execute(f"create or replace temp table batch_hits as select * from {loaded_keys}")
    hits = con.execute("select count(*) from batch_hits").fetchone()[0]
    con.execute(
        f"""
        create or replace temp table batch_repeats as
        select b._row_number from batch_hits as b semi join {table} as r
            on {_on(keys, "b", "r")} and {_same_values(value_cols, keys, "b", "r")}
        """
    )
    repeats = con.execute("select count(*) from batch_repeats").fetchone()[0]
    con.execute(
        "create or replace temp view batch_new as "
        "select * from batch anti join batch_repeats using (_row_number)"
    )
    superseded = 0
    identity_duplicates = 0
    if entity.name == "complaint_events":
        # A hit that is not an exact repeat names a loaded identity: a duplicate all the same.
        identity_duplicates = hits - repeats
        con.execute(
            "create or replace temp view batch_insert as "
            "select * from batch_new anti join batch_hits using (_row_number)"
        )
    elif entity.name == "complaints":
        con.execute(f"create or replace temp table batch_latest as {_latest('batch_new', cols)}")
        _record_replaced(
            con,
            "complaints",
            "r.order_id, r.sku_id, null",
            f"{table} as r semi join batch_latest as b on r.complaint_id = b.complaint_id "
            "and r.updated_at <= b.updated_at",
            params,
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
            total - repeats - con.execute("select count(*) from batch_insert").fetchone()[0]
        )
    else:
        if hits > repeats:
            if entity.name == "orders":
                _record_replaced(
                    con,
                    "orders",
                    "r.order_id, r.sku_id, r.ordered_at",
                    f"{table} as r semi join (select * from batch_hits anti join batch_repeats "
                    f"using (_row_number)) as b on {_on(keys, 'r', 'b')}",
                    params,
                )
            con.execute(
                f"""
                delete from {table} as r
                using (select * from batch_hits anti join batch_repeats using (_row_number)) as b
                where {_on(keys, "r", "b")}
                """
            )
        con.execute("create or replace temp view batch_insert as select * from batch_new")
    _insert(con, table, cols, lineage, "batch_insert", params)
    loaded = total - repeats - identity_duplicates
    return MergeCounts(
        loaded=loaded, duplicate=repeats + identity_duplicates, superseded=superseded
    )


def _exists(con: duckdb.DuckDBPyConnection, rows: str) -> bool:
    return bool(con.execute(f"select exists (select 1 from {rows})").fetchone()[0])


def _record_replaced(
    con: duckdb.DuckDBPyConnection, entity: str, values: str, rows: str, params: list[str]
) -> None:
    """Note the order line a replaced row named (and, for orders, its order time) before the row
    goes: an incremental build redoes the order week the old row counted in, which the raw table
    no longer shows (docs/incremental.md)."""
    con.execute(
        f"insert into meta.replaced_rows select '{entity}', {values}, ?, cast(? as timestamptz) "
        f"from {rows}",
        params,
    )


def _same_values(cols: list[str], keys: tuple[str, ...], left: str, right: str) -> str:
    """Every non-key value equal (nulls equal): the row is an exact repeat."""
    return (
        " and ".join(
            f"{left}.{ident(c)} is not distinct from {right}.{ident(c)}"
            for c in cols
            if c not in keys
        )
        or "true"
    )


def _latest(source: str, cols: str) -> str:
    """One row per complaint: the latest ``updated_at`` (ties: the larger content hash)."""
    return f"""
        select * from {source}
        qualify row_number() over (
            partition by complaint_id order by updated_at desc, hash({cols}) desc
        ) = 1
    """


def _insert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    cols: str,
    lineage: str,
    source: str,
    params: list[str],
) -> None:
    lineage_cols = ", ".join(ident(name) for name, _ in LINEAGE)
    # ``preserve_insertion_order`` stays on: it is a global setting, and turning it off here
    # (no measurable gain) would let a file read meanwhile on another connection number its
    # rows out of file order.
    con.execute(
        f"insert into {table} ({cols}, {lineage_cols}) select {cols}, {lineage} from {source}",
        params,
    )
