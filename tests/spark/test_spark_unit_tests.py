"""Every dbt unit test of the project (``models/**/_*unit_tests.yml``) passes on the Spark target
too: ``dbt test --select test_type:unit`` in the session whose catalogue the sample's Spark build
filled (a unit test reads its inputs' column types from the built relations)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from flows.build.run import node_results
from flows.config import Settings

pytestmark = pytest.mark.spark

MODELS = Path(__file__).resolve().parents[2] / "models"


def declared_unit_tests() -> set[str]:
    """The names of every unit test the project's YAML declares."""
    names = set()
    for path in MODELS.rglob("*.yml"):
        for test in (yaml.safe_load(path.read_text()) or {}).get("unit_tests") or []:
            names.add(test["name"])
    return names


def test_every_unit_test_passes_on_spark(spark_built):
    from flows.spark.build import run_dbt_spark

    _, work_dir, _ = spark_built
    outcome = run_dbt_spark(
        ["test", "--select", "test_type:unit"], work_dir / "parquet", work_dir, Settings()
    )
    nodes = [node for node in node_results(outcome.result) if node.resource_type == "unit_test"]
    failed = [f"{node.name}: {node.status} {node.message}" for node in nodes if node.failed]
    assert not failed, "\n".join(failed)
    assert outcome.success, outcome.exception
    assert {node.name for node in nodes} == declared_unit_tests()
    assert len(nodes) >= 25
