"""complaint-insight: Prefect flows and the plain Python they orchestrate."""
