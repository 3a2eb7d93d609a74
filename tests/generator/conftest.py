"""Generated samples shared by the generator tests (small and fast; one default-size run)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from flows.generator import GenerateOptions, generate


def make(folder: Path, **kwargs) -> tuple[Path, dict]:
    landing = folder / "landing"
    opts = GenerateOptions(out=landing, truth=folder / "truth.json", force=True, **kwargs)
    return landing, generate(opts)


@pytest.fixture(scope="session")
def clean_small(tmp_path_factory) -> tuple[Path, dict]:
    """Small clean csv sample (English headers)."""
    return make(
        tmp_path_factory.mktemp("clean"),
        orders=20_000,
        weeks=12,
        merchants=15,
        dirty_rate=0.0,
        seed=3,
    )


@pytest.fixture(scope="session")
def default_sample(tmp_path_factory) -> tuple[Path, dict]:
    """The default command's data (what the models are judged on)."""
    return make(tmp_path_factory.mktemp("default"))


@pytest.fixture(scope="session")
def dirty_small(tmp_path_factory) -> tuple[Path, dict]:
    """A small sample with many faults, to check every one is recorded."""
    return make(
        tmp_path_factory.mktemp("dirty"),
        orders=30_000,
        weeks=10,
        merchants=12,
        dirty_rate=0.01,
        seed=11,
        start=date(2026, 1, 5),
    )
