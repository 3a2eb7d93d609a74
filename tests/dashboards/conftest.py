"""Shared fixtures: one small synthetic warehouse per test session."""

from __future__ import annotations

import logging

import pytest

from tests.dashboards.fixture_warehouse import build_fixture_warehouse


@pytest.fixture(scope="session", autouse=True)
def _quiet_streamlit():
    # Calling cached functions outside a running app logs a warning per call; not useful here.
    for name in (
        "streamlit.runtime.caching.cache_data_api",
        "streamlit.runtime.scriptrunner_utils",
    ):
        logging.getLogger(name).setLevel(logging.ERROR)
    logging.getLogger("streamlit").setLevel(logging.ERROR)


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory):
    """Path of the fixture warehouse (read-only for tests: build your own to modify)."""
    return build_fixture_warehouse(tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb")
