"""The dbt unit tests the project's YAML declares (``unit_tests:`` in ``models/**/*.yml``), for
the checks that every one of them ran, or pins its time zone."""

from __future__ import annotations

from pathlib import Path

import yaml

MODELS = Path(__file__).resolve().parents[1] / "models"


def declared_unit_tests() -> list[tuple[str, dict]]:
    """(file name, unit test) of every unit test, in file order."""
    return [
        (path.name, test)
        for path in sorted(MODELS.rglob("*.yml"))
        for test in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("unit_tests") or []
    ]
