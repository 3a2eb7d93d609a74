"""The dbt vars defaults in dbt_project.yml equal the configuration defaults they mirror."""

from __future__ import annotations

import pytest
import yaml

from flows.build.as_of import parse_as_of
from flows.build.run import PROJECT_DIR
from flows.config import Settings
from flows.errors import UserError


def test_dbt_project_var_defaults_equal_config_defaults():
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    dbt_defaults = project["vars"]
    for key, value in Settings().dbt_vars().items():
        assert key in dbt_defaults, key
        assert dbt_defaults[key] == value, key
    assert dbt_defaults["as_of"] is None


@pytest.mark.parametrize(
    ("text", "zone", "expected"),
    [
        ("2026-11-26 10:00", "Asia/Shanghai", "2026-11-26T10:00:00+08:00"),
        ("2026/11/26 10:00:00", "Asia/Shanghai", "2026-11-26T10:00:00+08:00"),
        ("2026-11-26T10:00:00+00:00", "Asia/Shanghai", "2026-11-26T10:00:00+00:00"),
        # Ambiguous (fall back): the earlier instant; non-existent (spring forward): moved on.
        ("2026-11-01 01:30", "America/New_York", "2026-11-01T01:30:00-04:00"),
        ("2026-03-08 02:30", "America/New_York", "2026-03-08T03:30:00-04:00"),
    ],
)
def test_parse_as_of(text, zone, expected):
    assert parse_as_of(text, zone) == expected


def test_parse_as_of_rejects_garbage():
    with pytest.raises(UserError, match="not a time"):
        parse_as_of("yesterday", "Asia/Shanghai")
