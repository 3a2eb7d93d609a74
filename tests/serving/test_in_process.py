"""``complaints serve`` runs its flow runs in its own process with dbt kept loaded: runs are
claimed from the API and recorded there, dbt parses once for many runs, and a failed run does
not stop or poison the next one."""

from __future__ import annotations

import datetime
import os
import threading
from pathlib import Path

import pytest
from prefect import flow

from flows.build import dbt_session
from flows.build.run import run_dbt
from flows.config import Settings
from flows.errors import UserError
from flows.orchestration.in_process import serve_in_process

STOP = threading.Event()
SEEN: list[dict] = []


@flow(name="serve-probe")
def serve_probe(scratch: str, fail: bool = False, last: bool = False) -> int:
    """Lists the dbt models through whatever dbt the process keeps; fails when told to."""
    try:
        if fail:
            raise UserError("a planted failure")
        folder = Path(scratch)
        outcome = run_dbt(
            ["ls", "--resource-type", "model"],
            folder / "warehouse.duckdb",
            Settings(),
            target_path=folder / "target",
            log_path=folder / "logs",
        )
        session = dbt_session.active()
        SEEN.append(
            {
                "pid": os.getpid(),
                "models": len(outcome.result or []),
                "parses": session.parses if session else None,
            }
        )
        return len(outcome.result or [])
    finally:
        if last:
            STOP.set()


def test_runs_execute_here_parse_once_and_survive_a_failure(prefect_harness, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.states import Scheduled

    STOP.clear()
    SEEN.clear()
    deployment = serve_probe.to_deployment(name="probe", parameters={"scratch": str(tmp_path)})
    created = []

    def schedule_runs() -> None:
        # Three runs already due, oldest first: a failing one, then two that use dbt.
        with get_client(sync_client=True) as client:
            deployment_id = client.read_deployment_by_name("serve-probe/probe").id
            now = datetime.datetime.now(datetime.UTC)
            for age, params in ((30, {"fail": True}), (20, {}), (10, {"last": True})):
                state = Scheduled(scheduled_time=now - datetime.timedelta(seconds=age))
                run = client.create_flow_run_from_deployment(
                    deployment_id, parameters=params, state=state
                )
                created.append(run.id)

    serve_in_process(
        [deployment], {"serve-probe": serve_probe}, 0.2, stop=STOP, on_ready=schedule_runs
    )

    with get_client(sync_client=True) as client:
        states = [client.read_flow_run(run_id).state for run_id in created]
        paused = client.read_deployment_by_name("serve-probe/probe").paused
    assert [state.type.value for state in states] == ["FAILED", "COMPLETED", "COMPLETED"]
    assert "planted failure" in (states[0].message or "")
    assert [seen["pid"] for seen in SEEN] == [os.getpid(), os.getpid()]  # in this process
    assert SEEN[0]["models"] == SEEN[1]["models"] > 50
    assert [seen["parses"] for seen in SEEN] == [1, 1]  # parsed once for both runs
    assert paused  # schedules paused on shutdown, as Prefect's serve does
    assert dbt_session.active() is None


@pytest.fixture(autouse=True)
def _reset():
    yield
    STOP.clear()
    SEEN.clear()
