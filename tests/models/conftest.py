"""Fixtures of the model tests: a warehouse of hand-made raw rows, built once per session."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flows.build.run import BuildResult, build_and_publish
from flows.config import Settings
from flows.warehouse import publishing
from tests.models.raw_tables import create_tables, insert_rows

UTC8 = "+08:00"


def _orders() -> list[dict]:
    rows = []
    # M1/S1: 12 lines ordered on Sunday 2025-12-28 (ISO 2025-W52) and 12 on Monday 2025-12-29
    # (ISO 2026-W01), local time; M2/S3: 8 lines in 2026-W02.
    for i in range(12):
        rows.append(
            {"order_id": f"OA{i}", "sku_id": "S1", "merchant_id": "M1", "quantity": 1,
             "ordered_at": f"2025-12-28 23:{i:02d}:00{UTC8}", "buyer_id": f"B{i % 4}"}
        )  # fmt: skip
        rows.append(
            {"order_id": f"OB{i}", "sku_id": "S1", "merchant_id": "M1", "quantity": 2,
             "ordered_at": f"2025-12-29 00:{i:02d}:00{UTC8}", "buyer_id": f"B{i % 4}"}
        )  # fmt: skip
    for i in range(8):
        rows.append(
            {"order_id": f"OC{i}", "sku_id": "S3", "merchant_id": "M2", "quantity": 1,
             "ordered_at": f"2026-01-06 10:00:00{UTC8}", "buyer_id": "B9"}
        )  # fmt: skip
    return rows


def _complaint(cid, order_id, sku, channel, received, status, updated, **extra) -> dict:
    return {
        "complaint_id": cid, "order_id": order_id, "sku_id": sku, "channel": channel,
        "received_at": received + UTC8, "status": status, "updated_at": updated + UTC8, **extra,
    }  # fmt: skip


COMPLAINTS = [
    # A confirmed defect on a W52 line, merchant left empty (taken from the SKU), closed.
    _complaint("C1", "OA0", "S1", "app", "2026-01-02 10:00:00", "closed", "2026-01-05 10:00:00",
               issue_type="quality_defect", responsibility="merchant", refund_amount=10.5),
    # Recurs C1 (same buyer B0, SKU and issue, received 10 days after C1 closed); a W01 line.
    _complaint("C2", "OB4", "S1", "hotline", "2026-01-15 10:00:00", "resolved",
               "2026-01-20 10:00:00", issue_type="quality_defect", responsibility="merchant",
               merchant_id="M1"),
    # Withdrawn: not counted anywhere.
    _complaint("C3", "OB2", "S1", "web_form", "2026-01-03 10:00:00", "withdrawn",
               "2026-01-03 12:00:00", issue_type="quality_defect", responsibility="merchant",
               merchant_id="M1"),
    # Orphan: its order line is in no export.
    _complaint("C4", "OZ9", "S1", "app", "2026-01-04 10:00:00", "open", "2026-01-04 10:00:00",
               merchant_id="M1"),
    # Reopened twice, then closed; logistics, not a defect.
    _complaint("C5", "OC0", "S3", "social_media", "2026-01-08 09:00:00", "closed",
               "2026-01-20 09:00:00", issue_type="transport_damage", responsibility="logistics",
               merchant_id="M2"),
]  # fmt: skip


def _events() -> list[dict]:
    def ev(cid, kind, at):
        return {"complaint_id": cid, "event_type": kind, "occurred_at": at + UTC8}

    return [
        ev("C1", "received", "2026-01-02 10:00:00"),
        ev("C1", "acknowledged", "2026-01-02 12:00:00"),  # exactly 2 h: met
        ev("C1", "merchant_notified", "2026-01-03 10:00:01"),  # 24 h + 1 s: breached
        ev("C1", "merchant_evidence_submitted", "2026-01-04 10:00:00"),
        ev("C1", "remedy_executed", "2026-01-04 20:00:00"),
        ev("C1", "closed", "2026-01-05 10:00:00"),
        ev("C2", "received", "2026-01-15 10:00:00"),
        ev("C2", "acknowledged", "2026-01-15 10:30:00"),
        ev("C2", "remedy_executed", "2026-01-20 10:00:00"),
        ev("C3", "received", "2026-01-03 10:00:00"),
        ev("C3", "withdrawn", "2026-01-03 12:00:00"),
        ev("C4", "received", "2026-01-04 10:00:00"),
        ev("C5", "received", "2026-01-08 09:00:00"),
        ev("C5", "acknowledged", "2026-01-08 09:10:00"),
        ev("C5", "closed", "2026-01-09 09:00:00"),
        ev("C5", "reopened", "2026-01-10 09:00:00"),
        ev("C5", "closed", "2026-01-11 09:00:00"),
        ev("C5", "reopened", "2026-01-12 09:00:00"),
        ev("C5", "closed", "2026-01-20 09:00:00"),
        ev("CX", "received", "2026-01-21 09:00:00"),  # orphan event: its complaint is unknown
    ]


def load_hand_rows(con: duckdb.DuckDBPyConnection) -> None:
    """The raw and meta tables with the hand-made rows above."""
    create_tables(con)
    insert_rows(con, "raw.merchants", [
        {"merchant_id": "M1", "merchant_name": "Shop One", "category": "home"},
        {"merchant_id": "M2", "merchant_name": "Shop Two", "category": "home"},
    ])  # fmt: skip
    insert_rows(con, "raw.skus", [
        {"sku_id": "S1", "merchant_id": "M1", "sku_name": "Kettle", "category_l1": "kitchen"},
        {"sku_id": "S3", "merchant_id": "M2", "sku_name": "Pan", "category_l1": "kitchen"},
    ])  # fmt: skip
    insert_rows(con, "raw.orders", _orders())
    insert_rows(con, "raw.complaints", COMPLAINTS)
    insert_rows(con, "raw.complaint_events", _events())
    insert_rows(con, "raw.corrective_actions", [
        {"action_id": "A1", "merchant_id": "M1", "sku_id": "S1", "issue_type": "quality_defect",
         "action_type": "process_fix", "opened_at": "2026-01-10 00:00:00" + UTC8},
    ])  # fmt: skip
    insert_rows(con, "meta.file_ledger", [
        {"file_id": "f-raw.orders", "file_name": "orders.csv", "entity": "orders",
         "status": "loaded", "ingested_at": "2026-01-21 10:00:00" + UTC8},
    ])  # fmt: skip


def make_hand_warehouse(path: Path) -> Path:
    """A live warehouse file holding the hand-made raw rows (published like the ingest does)."""
    with publishing(path) as staging, duckdb.connect(str(staging)) as con:
        load_hand_rows(con)
    return path


@pytest.fixture(scope="session")
def dbt_dirs(tmp_path_factory) -> dict[str, Path]:
    """dbt target and log folders private to the test session."""
    root = tmp_path_factory.mktemp("dbt")
    return {"target_path": root / "target", "log_path": root / "logs"}


@pytest.fixture(scope="session")
def hand_build(tmp_path_factory, dbt_dirs) -> tuple[Path, BuildResult]:
    """The hand-made warehouse, built once for the session."""
    live = make_hand_warehouse(tmp_path_factory.mktemp("hand") / "warehouse.duckdb")
    # The one build of the suite that runs dbt's unit tests too (production builds skip them).
    result = build_and_publish(live, Settings(build_unit_tests=True), **dbt_dirs)
    return live, result


@pytest.fixture(scope="session")
def designed_build(tmp_path_factory, dbt_dirs) -> tuple[Path, BuildResult]:
    """The designed working-time and legal complaints (tests/models/designed_rows.py), built
    once with the working-time targets."""
    from tests.models.designed_rows import (
        DESIGNED_AS_OF,
        WORKING_TARGETS,
        make_designed_warehouse,
    )

    live = make_designed_warehouse(tmp_path_factory.mktemp("designed") / "warehouse.duckdb")
    settings = Settings(sla_targets_hours=WORKING_TARGETS)
    result = build_and_publish(live, settings, as_of=DESIGNED_AS_OF, **dbt_dirs)
    return live, result


@pytest.fixture(scope="session")
def default_sample(tmp_path_factory, dbt_dirs):
    """The generator's default data (seed 42), ingested and built once for the session."""
    import json

    from tests.models.samples import generate, ingest

    root = tmp_path_factory.mktemp("default")
    landing, truth, warehouse = root / "landing", root / "truth.json", root / "warehouse.duckdb"
    settings = Settings()
    generate(landing, truth)
    ingest(landing, warehouse, settings)
    build_and_publish(warehouse, settings, **dbt_dirs)
    return json.loads(truth.read_text()), warehouse


@pytest.fixture(scope="session")
def generated_in(tmp_path_factory, dbt_dirs):
    """The same small clean sample generated, ingested and built for a platform zone (cached)."""
    from tests.models.samples import SAMPLE_START, generate, ingest

    built: dict[str, tuple[Path, Path, object]] = {}

    def make(zone: str):
        if zone not in built:
            root = tmp_path_factory.mktemp("generated_" + zone.replace("/", "_"))
            landing, truth = root / "landing", root / "truth.json"
            warehouse = root / "warehouse.duckdb"
            settings = Settings(timezone=zone)
            generate(landing, truth, "--orders", "20000", "--weeks", "16", "--merchants", "8",
                     "--dirty-rate", "0", "--start", SAMPLE_START, timezone=zone)  # fmt: skip
            ingest(landing, warehouse, settings)
            result = build_and_publish(warehouse, settings, **dbt_dirs)
            built[zone] = (landing, warehouse, result)
        return built[zone]

    return make
