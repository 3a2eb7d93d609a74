"""Serving the deployments with every flow run in this one long-lived process.

Prefect's ``serve`` starts each flow run in a new Python process, so every scheduled run paid
the imports (Prefect's engine, dbt, DuckDB, pyarrow, GX) and dbt's project parse again. Here the
serving process itself registers the deployments, polls the API for their due runs and runs
each one in-process through Prefect's flow engine (the run's states, logs and artifacts are
recorded as under Prefect's runner), with dbt kept loaded (``flows.build.dbt_session``): a run
pays dbt's start-up once per ``complaints serve`` process, not once per run.

Runs go one at a time, oldest first: one process, one writer. A run that fails or raises is
recorded as Failed (or Crashed) and the loop goes on; the kept dbt state is copied per build and
parsed afresh after any dbt error, so a failed run cannot poison the next one.
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

from flows.build.dbt_session import kept_dbt
from flows.build.run import PROJECT_DIR

log = logging.getLogger(__name__)


class InProcessServer:
    """The served deployments and the flows their runs execute, in this process."""

    def __init__(self, deployments: Iterable[Any], flows: dict[str, Any]) -> None:
        self.deployments = list(deployments)
        self.flows = flows  # flow name -> flow object
        self.by_id: dict[UUID, Any] = {}

    def register(self) -> None:
        """Create or update the deployments on the API (schedules included, resumed)."""
        from prefect.client.orchestration import get_client

        with get_client(sync_client=True) as client:
            for deployment in self.deployments:
                deployment_id = deployment.apply()
                self.by_id[deployment_id] = self.flows[deployment.flow_name]
                client.resume_deployment(deployment_id)

    def pause(self) -> None:
        """Pause the schedules, as Prefect's ``serve`` does on shutdown: no runs pile up."""
        from prefect.client.orchestration import get_client

        with get_client(sync_client=True) as client:
            for deployment_id in self.by_id:
                client.pause_deployment(deployment_id)

    def due_runs(self) -> list[Any]:
        """The served deployments' scheduled runs whose time has come, oldest first."""
        from prefect.client.orchestration import get_client

        with get_client(sync_client=True) as client:
            runs = client.get_scheduled_flow_runs_for_deployments(
                deployment_ids=list(self.by_id),
                scheduled_before=datetime.datetime.now(datetime.UTC),
            )
        return sorted(runs, key=lambda run: run.next_scheduled_start_time or run.created)

    def run_due(self, stop: threading.Event | None = None) -> list[Any]:
        """Run every due run once, in this process; return their final states."""
        states = []
        for flow_run in self.due_runs():
            if stop is not None and stop.is_set():
                break
            state = self.run_one(flow_run)
            if state is not None:
                states.append(state)
        return states

    def run_one(self, flow_run: Any) -> Any:
        """Claim ``flow_run`` (Pending) and run its flow here; None when another took it."""
        from prefect.client.orchestration import get_client
        from prefect.exceptions import Abort
        from prefect.flow_engine import run_flow
        from prefect.states import Crashed, Pending
        from prefect.utilities.engine import propose_state_sync

        with get_client(sync_client=True) as client:
            try:
                claimed = propose_state_sync(client, Pending(), flow_run_id=flow_run.id)
            except Abort:
                return None
            if not claimed.is_pending():
                return None
            flow = self.by_id[flow_run.deployment_id]
            try:
                return run_flow(flow, flow_run=flow_run, return_type="state")
            except BaseException as exc:
                # The engine records a flow's own failure; this is the engine itself failing
                # (or Ctrl-C): the run must not stay Running, and the loop goes on.
                log.exception("flow run %s crashed", flow_run.id)
                message = f"the serving process failed running it: {type(exc).__name__}: {exc}"
                propose_state_sync(client, Crashed(message=message), flow_run.id, force=True)
                if not isinstance(exc, Exception):
                    raise
                return client.read_flow_run(flow_run.id).state


def serve_in_process(
    deployments: Iterable[Any],
    flows: dict[str, Any],
    poll_seconds: float,
    stop: threading.Event | None = None,
    on_ready: Callable[[], None] | None = None,
    pause_on_shutdown: bool = True,
) -> None:
    """Register ``deployments`` and run their due runs in this process until ``stop`` is set
    (or Ctrl-C), keeping dbt loaded between runs."""
    stop = stop or threading.Event()
    server = InProcessServer(deployments, flows)
    server.register()
    try:
        with kept_dbt(PROJECT_DIR):
            if on_ready is not None:
                on_ready()
            while not stop.is_set():
                try:
                    server.run_due(stop)
                except Exception:  # the API unreachable for a moment: try again next poll
                    log.exception("polling for due flow runs failed")
                stop.wait(poll_seconds)
    finally:
        if pause_on_shutdown:
            server.pause()
