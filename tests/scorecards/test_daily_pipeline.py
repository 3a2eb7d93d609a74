"""The daily-pipeline flow runs ingest then build in one publish and records their results."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field

import duckdb
import pytest


@dataclass
class FileResult:
    file_name: str
    status: str
    rows_loaded: int


@dataclass
class NodeResult:
    name: str
    resource_type: str
    status: str
    seconds: float


@dataclass
class Outcome:
    files: list = field(default_factory=list)
    nodes: list = field(default_factory=list)


@pytest.fixture
def fake_stages(monkeypatch):
    """Stand-in ingest and build stages with the plain-function interface the flow uses."""
    calls = []

    def ingest_landing(landing, database, settings):
        calls.append("ingest")
        with duckdb.connect(str(database)) as con:
            con.execute("create schema if not exists raw; create table raw.loaded as select 1 as x")
        return Outcome(files=[FileResult("orders_1.csv", "loaded", 10)])

    def build_warehouse(database, settings, as_of):
        calls.append("build")
        with duckdb.connect(str(database)) as con:
            assert con.execute("select x from raw.loaded").fetchone() == (1,)  # same copy
            con.execute("create schema if not exists marts; create table marts.done as select 1")
        return Outcome(nodes=[NodeResult("merchant_scorecard_weekly", "model", "success", 0.5)])

    ingest = types.ModuleType("flows.ingest")
    ingest.ingest_landing = ingest_landing
    build = types.ModuleType("flows.build")
    build.build_warehouse = build_warehouse
    monkeypatch.setitem(sys.modules, "flows.ingest", ingest)
    monkeypatch.setitem(sys.modules, "flows.build", build)
    return calls


@pytest.mark.prefect
def test_daily_pipeline_publishes_once_and_records_artifacts(
    prefect_harness, fake_stages, tmp_path
):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.pipeline import daily_pipeline

    live = tmp_path / "warehouse.duckdb"
    result = daily_pipeline(landing=str(tmp_path / "landing"), warehouse=str(live))
    assert result == {"files": 1, "nodes": 1}
    assert fake_stages == ["ingest", "build"]
    with duckdb.connect(str(live), read_only=True) as con:
        assert con.execute("select count(*) from marts.done").fetchone() == (1,)
    with get_client(sync_client=True) as client:
        keys = ["daily-pipeline-files", "daily-pipeline-models"]
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=keys))
        )
    assert {a.key for a in artifacts} == set(keys)
    models = next(a for a in artifacts if a.key == "daily-pipeline-models")
    assert "merchant_scorecard_weekly" in str(models.data)
