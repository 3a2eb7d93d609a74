"""Every dbt unit test pins the platform time zone its expectations are written in, so the build
(and the test suite, which runs the unit tests) passes for a platform in any zone."""

from __future__ import annotations

from tests.unit_test_yaml import declared_unit_tests


def test_every_unit_test_pins_its_time_zone():
    tests = declared_unit_tests()
    assert len(tests) >= 15
    unpinned = [
        f"{name}: {test['name']}"
        for name, test in tests
        if not ((test.get("overrides") or {}).get("vars") or {}).get("timezone")
    ]
    assert not unpinned
