"""Every dbt unit test of the project (``models/**/_*unit_tests.yml``) passes on the Spark target
too: ``dbt test --select test_type:unit`` in the session whose catalogue the sample's Spark build
filled (a unit test reads its inputs' column types from the built relations)."""

from __future__ import annotations

import pytest

from flows.build.run import node_results
from flows.config import Settings
from tests.unit_test_yaml import declared_unit_tests

pytestmark = pytest.mark.spark


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
    assert {node.name for node in nodes} == {test["name"] for _, test in declared_unit_tests()}
    assert len(nodes) >= 25
