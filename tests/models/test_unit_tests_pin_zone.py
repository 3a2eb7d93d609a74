"""Every dbt unit test pins the platform time zone its expectations are written in, so the build
(which runs the unit tests) passes for a platform in any zone."""

from __future__ import annotations

from pathlib import Path

import yaml

MODELS = Path(__file__).resolve().parents[2] / "models"


def test_every_unit_test_pins_its_time_zone():
    tests = [
        (path.name, test)
        for path in sorted(MODELS.rglob("*.yml"))
        for test in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("unit_tests", [])
    ]
    assert len(tests) >= 15
    unpinned = [
        f"{name}: {test['name']}"
        for name, test in tests
        if not ((test.get("overrides") or {}).get("vars") or {}).get("timezone")
    ]
    assert not unpinned
