"""The contract's columns as the generator writes them, derived from ``flows.contract``.

The generator, the ingest and the tests read the same contract table, so the generated exports
and what the ingest accepts cannot drift apart.
"""

from __future__ import annotations

from flows.contract import ENTITIES as CONTRACT_ENTITIES
from flows.contract import ENUMS as CONTRACT_ENUMS
from flows.contract import Column

ENTITIES: dict[str, tuple[Column, ...]] = {
    name: entity.columns for name, entity in CONTRACT_ENTITIES.items()
}

# Enumerations: English code -> Chinese value (None = the contract uses English codes only).
ENUMS: dict[str, dict[str, str] | None] = {
    name: (dict(values) if all(values.values()) else None)  # type: ignore[misc]
    for name, values in CONTRACT_ENUMS.items()
}
ENUM_CODES: dict[str, tuple[str, ...]] = {
    name: tuple(values) for name, values in CONTRACT_ENUMS.items()
}
EVENT_TYPES = ENUM_CODES["event_type"]
ACTORS = ENUM_CODES["actor"]
ACTION_TYPES = ENUM_CODES["action_type"]
DEFECT_ISSUES = ("quality_defect", "cosmetic_flaw", "counterfeit")
# The key of a row within one export (a complaint's state is identified by its update time).
KEYS: dict[str, tuple[str, ...]] = {
    name: entity.file_key for name, entity in CONTRACT_ENTITIES.items()
}


def column_names(entity: str) -> list[str]:
    return [col.name for col in ENTITIES[entity]]


def chinese_headers(entity: str) -> dict[str, str]:
    return {col.name: col.zh for col in ENTITIES[entity]}
