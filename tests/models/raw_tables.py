"""The `raw` and `meta` tables exactly as docs/warehouse.md defines them, for hand-made fixtures.

Lets the model tests build a warehouse from a few rows without the ingest, and lets the benchmark
load bulk rows with plain SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import duckdb

LINEAGE = "_file_id VARCHAR, _row_number BIGINT, _ingested_at TIMESTAMPTZ"

RAW_DDL = {
    "merchants": "merchant_id VARCHAR, merchant_name VARCHAR, category VARCHAR, onboarded_on DATE",
    "skus": "sku_id VARCHAR, merchant_id VARCHAR, sku_name VARCHAR, category_l1 VARCHAR, "
    "category_l2 VARCHAR, brand VARCHAR",
    "orders": "order_id VARCHAR, sku_id VARCHAR, merchant_id VARCHAR, quantity INTEGER, "
    "paid_amount DECIMAL(18,2), ordered_at TIMESTAMPTZ, shipped_at TIMESTAMPTZ, "
    "delivered_at TIMESTAMPTZ, buyer_id VARCHAR, province VARCHAR, carrier VARCHAR",
    "complaints": "complaint_id VARCHAR, order_id VARCHAR, sku_id VARCHAR, merchant_id VARCHAR, "
    "channel VARCHAR, received_at TIMESTAMPTZ, issue_type VARCHAR, responsibility VARCHAR, "
    "remedy VARCHAR, refund_amount DECIMAL(18,2), compensation_amount DECIMAL(18,2), "
    "status VARCHAR, satisfaction INTEGER, description VARCHAR, evidence_count INTEGER, "
    "buyer_phone_hash VARCHAR, buyer_phone_masked VARCHAR, updated_at TIMESTAMPTZ",
    "complaint_events": "complaint_id VARCHAR, event_type VARCHAR, occurred_at TIMESTAMPTZ, "
    "actor VARCHAR, note VARCHAR",
    "corrective_actions": "action_id VARCHAR, merchant_id VARCHAR, sku_id VARCHAR, "
    "issue_type VARCHAR, action_type VARCHAR, opened_at TIMESTAMPTZ, completed_at TIMESTAMPTZ",
}

META_DDL = {
    "file_ledger": "file_id VARCHAR, file_name VARCHAR, entity VARCHAR, format VARCHAR, "
    "encoding VARCHAR, profile VARCHAR, rows_read BIGINT, rows_loaded BIGINT, "
    "rows_quarantined BIGINT, rows_duplicate BIGINT, status VARCHAR, reason VARCHAR, "
    "extra_columns VARCHAR, ingested_at TIMESTAMPTZ",
    "quarantine": "file_id VARCHAR, file_name VARCHAR, row_number BIGINT, field VARCHAR, "
    "reason VARCHAR, raw_values VARCHAR, quarantined_at TIMESTAMPTZ",
    "dq_warnings": "file_id VARCHAR, file_name VARCHAR, row_number BIGINT, field VARCHAR, "
    "reason VARCHAR, raw_value VARCHAR, warned_at TIMESTAMPTZ",
    "assumed_values": "file_id VARCHAR, file_name VARCHAR, entity VARCHAR, column_name VARCHAR, "
    "default_value VARCHAR, rows_assumed BIGINT, every_row BOOLEAN, row_numbers BIGINT[], "
    "recorded_at TIMESTAMPTZ",
    "expectation_results": "file_id VARCHAR, file_name VARCHAR, entity VARCHAR, suite VARCHAR, "
    "expectation VARCHAR, column_name VARCHAR, success BOOLEAN, element_count BIGINT, "
    "unexpected_count BIGINT, observed VARCHAR, validated_at TIMESTAMPTZ",
}


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create empty raw.* and meta.* tables (replacing any)."""
    con.execute("create schema if not exists raw")
    con.execute("create schema if not exists meta")
    for table, columns in RAW_DDL.items():
        con.execute(f"create or replace table raw.{table} ({columns}, {LINEAGE})")
    for table, columns in META_DDL.items():
        con.execute(f"create or replace table meta.{table} ({columns})")


def insert_rows(
    con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[Mapping[str, Any]]
) -> None:
    """Insert dict rows into ``schema.table``; missing columns stay null."""
    for number, row in enumerate(rows, start=1):
        values = dict(row)
        if table.startswith("raw."):
            values.setdefault("_file_id", "f-" + table.split(".")[1])
            values.setdefault("_row_number", number)
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        con.execute(f"insert into {table} ({columns}) values ({marks})", list(values.values()))
