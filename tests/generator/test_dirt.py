"""Injected faults are exactly the ones the truth file lists (found by an independent reader)."""

from __future__ import annotations

from collections import defaultdict

from flows.generator.schema import ENTITIES, ENUM_CODES
from tests.generator.exports import files_of, parse_ts, read_records

ENTITY_OF = {"orders": "orders", "complaints": "complaints", "complaint_events": "complaint_events"}


def _faults_in_file(entity: str, header: list[str], records: list[list[str | None]]) -> set:
    columns = {c.name: c for c in ENTITIES[entity]}
    found = set()
    seen = set()
    by_key = defaultdict(list)
    for number, record in enumerate(records, start=1):
        row = dict(zip(header, record, strict=True))
        as_tuple = tuple(record)
        if as_tuple in seen:
            found.add((number, "exact_duplicate", None))
            continue
        seen.add(as_tuple)
        if entity == "orders":
            by_key[(row["order_id"], row["sku_id"])].append((number, as_tuple))
        for name, col in columns.items():
            value = row[name]
            if value is None:
                if col.required:
                    found.add((number, "missing_required", name))
                continue
            if col.kind == "timestamp" and parse_ts(value) is None:
                found.add((number, "bad_timestamp", name))
            if col.kind == "enum" and value not in ENUM_CODES[name]:
                found.add((number, "unknown_enum", name))
        if entity == "orders" and row["quantity"] is not None and int(row["quantity"]) < 1:
            found.add((number, "negative_quantity", "quantity"))
        if entity == "orders" and row["shipped_at"] and row["ordered_at"]:
            shipped, ordered = parse_ts(row["shipped_at"]), parse_ts(row["ordered_at"])
            if shipped and ordered and shipped < ordered:
                found.add((number, "invalid_optional", "shipped_at"))
        if entity == "complaints":
            if row["satisfaction"] is not None and not 1 <= int(row["satisfaction"]) <= 5:
                found.add((number, "invalid_optional", "satisfaction"))
            if row["refund_amount"] is not None and float(row["refund_amount"]) < 0:
                found.add((number, "invalid_optional", "refund_amount"))
    for rows in by_key.values():
        if len({r for _, r in rows}) > 1:
            found.update((number, "conflicting_duplicate", "quantity") for number, _ in rows)
    return found


def test_dirty_rows_are_exactly_the_recorded_ones(dirty_small):
    landing, truth = dirty_small
    recorded = defaultdict(set)
    for entry in truth["dirty_rows"]:
        recorded[entry["file"]].add((entry["row_number"], entry["fault"], entry["field"]))
    kinds = {e["fault"] for e in truth["dirty_rows"]}
    assert kinds == {
        "bad_timestamp",
        "negative_quantity",
        "missing_required",
        "unknown_enum",
        "exact_duplicate",
        "conflicting_duplicate",
        "invalid_optional",
    }
    checked = 0
    for entity in ENTITY_OF:
        for path in files_of(landing, entity):
            header, records = read_records(path)
            assert len(records) == truth["files"][path.name]
            found = _faults_in_file(entity, header, records)
            assert found == recorded.get(path.name, set()), path.name
            checked += len(found)
    assert checked == len(truth["dirty_rows"]) > 20


def test_truth_keys_point_at_the_faulty_rows(dirty_small):
    landing, truth = dirty_small
    cache = {}
    for entry in truth["dirty_rows"]:
        if entry["file"] not in cache:
            cache[entry["file"]] = read_records(landing / entry["file"])
        header, records = cache[entry["file"]]
        row = dict(zip(header, records[entry["row_number"] - 1], strict=True))
        for name, value in entry["key"].items():
            if name != entry["field"]:
                assert row[name] == value, entry


def test_clean_run_has_no_faults(clean_small):
    landing, truth = clean_small
    assert truth["dirty_rows"] == []
    for entity in ENTITY_OF:
        for path in files_of(landing, entity):
            header, records = read_records(path)
            assert _faults_in_file(entity, header, records) == set(), path.name
