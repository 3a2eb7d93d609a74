"""Shared fixtures. Prefect's test harness is started at most once per session, and only for the
few tests that run whole flows (everything else calls plain functions)."""

from __future__ import annotations

import os
import tempfile

import pytest

os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# The command line speaks Chinese by default; tests that check its wording read the English
# catalogue (tests/test_cli_language.py runs every command in both languages in child processes).
os.environ.setdefault("COMPLAINTS_LANG", "en")
# The PII key of runs that name none: a file private to this test session, not the user's own
# (~/.config/complaint-insight/pii.key); child processes inherit it.
os.environ.setdefault(
    "COMPLAINTS_KEY_FILE", os.path.join(tempfile.mkdtemp(prefix="complaints-tests-"), "pii.key")
)


@pytest.fixture(scope="session")
def prefect_harness():
    """A temporary Prefect server and database for tests that run flows."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def small_warehouse(tmp_path_factory):
    """The small generated warehouse built by the real ingest and dbt, once per session
    (read-only for tests: copy it to modify)."""
    from tests.warehouses import build_small_warehouse

    return build_small_warehouse(tmp_path_factory.mktemp("small"))
