"""The ``complaints`` orchestration: Prefect flows, their schedules and the local Prefect server."""
