"""DDL of the ``raw`` and ``meta`` tables the ingest writes (layout in ``docs/warehouse.md``)."""

from __future__ import annotations

import duckdb

from flows.contract import ENTITIES, raw_columns
from flows.landing.sqltext import ident

LINEAGE = (
    ("_file_id", "VARCHAR"),
    ("_row_number", "BIGINT"),
    ("_ingested_at", "TIMESTAMPTZ"),
)

META_DDL = """
create table if not exists meta.file_ledger (
    file_id varchar primary key,
    file_name varchar,
    entity varchar,
    format varchar,
    encoding varchar,
    profile varchar,
    rows_read bigint,
    rows_loaded bigint,
    rows_quarantined bigint,
    rows_duplicate bigint,
    status varchar,
    reason varchar,
    extra_columns varchar[],
    ingested_at timestamptz,
    file_size bigint,
    file_mtime_ns bigint,
    load_seq bigint,
    rows_superseded bigint,
    rows_warned bigint,
    duplicate_deliveries varchar[],
    content_sha256 varchar,
    headers varchar[]
);
create table if not exists meta.quarantine (
    file_id varchar,
    file_name varchar,
    row_number bigint,
    field varchar,
    reason varchar,
    raw_values json,
    quarantined_at timestamptz
);
create table if not exists meta.dq_warnings (
    file_id varchar,
    file_name varchar,
    row_number bigint,
    field varchar,
    reason varchar,
    raw_value varchar,
    warned_at timestamptz
);
create table if not exists meta.assumed_values (
    file_id varchar,
    file_name varchar,
    entity varchar,
    column_name varchar,
    default_value varchar,
    rows_assumed bigint,
    every_row boolean,
    row_numbers bigint[],
    recorded_at timestamptz
);
create table if not exists meta.replaced_rows (
    entity varchar,
    order_id varchar,
    sku_id varchar,
    ordered_at timestamptz,
    file_id varchar,
    replaced_at timestamptz
);
create table if not exists meta.expectation_results (
    file_id varchar,
    file_name varchar,
    entity varchar,
    suite varchar,
    expectation varchar,
    column_name varchar,
    success boolean,
    element_count bigint,
    unexpected_count bigint,
    observed varchar,
    validated_at timestamptz,
    scope varchar
);
"""

ORPHANS_VIEW = """
create or replace view meta.orphans as
select 'orders' as entity, order_id || '/' || sku_id as row_key, 'sku_id' as field,
       sku_id as missing_id, _file_id
from raw.orders where sku_id not in (select sku_id from raw.skus)
union all
select 'orders', order_id || '/' || sku_id, 'merchant_id', merchant_id, _file_id
from raw.orders where merchant_id not in (select merchant_id from raw.merchants)
union all
select 'complaints', complaint_id, 'sku_id', sku_id, _file_id
from raw.complaints where sku_id not in (select sku_id from raw.skus)
union all
select 'complaints', complaint_id, 'merchant_id', merchant_id, _file_id
from raw.complaints
where merchant_id is not null and merchant_id not in (select merchant_id from raw.merchants)
union all
select 'complaints', complaint_id, 'order_line', order_id || '/' || sku_id, _file_id
from raw.complaints as c
where not exists (
    select 1 from raw.orders as o where o.order_id = c.order_id and o.sku_id = c.sku_id
)
union all
select 'complaint_events', complaint_id || '/' || event_type, 'complaint_id', complaint_id, _file_id
from raw.complaint_events where complaint_id not in (select complaint_id from raw.complaints)
"""


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw and meta schemas, tables and the orphans view when missing."""
    con.execute("create schema if not exists raw")
    con.execute("create schema if not exists meta")
    con.execute(META_DDL)
    # Warehouses from before file identity was (content, entity): the id was the content hash.
    con.execute("alter table meta.file_ledger add column if not exists content_sha256 varchar")
    con.execute("alter table meta.file_ledger add column if not exists headers varchar[]")
    con.execute(
        "update meta.file_ledger set content_sha256 = file_id "
        "where content_sha256 is null and file_id not like 'unreadable:%'"
    )
    for entity in ENTITIES.values():
        cols = [*raw_columns(entity), *LINEAGE]
        body = ", ".join(f"{ident(name)} {sql_type}" for name, sql_type in cols)
        con.execute(f"create table if not exists raw.{entity.name} ({body})")
    con.execute(ORPHANS_VIEW)
