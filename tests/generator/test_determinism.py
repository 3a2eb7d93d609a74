"""Same seed and options give the same bytes; another seed gives other data."""

from __future__ import annotations

import hashlib

import pytest

from tests.generator.conftest import make


def _digest(folder) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet", "jsonl"])
def test_same_seed_same_bytes(tmp_path, fmt):
    options = dict(orders=4_000, weeks=9, merchants=8, fmt=fmt, dirty_rate=0.01, seed=9)
    make(tmp_path, **options)
    first = _digest(tmp_path)
    make(tmp_path, **options)
    assert _digest(tmp_path) == first


def test_other_seed_other_data(tmp_path):
    make(tmp_path / "a", orders=4_000, weeks=9, merchants=8, seed=1)
    make(tmp_path / "b", orders=4_000, weeks=9, merchants=8, seed=2)
    a, b = _digest(tmp_path / "a" / "landing"), _digest(tmp_path / "b" / "landing")
    assert a.keys() & b.keys()
    assert all(a[name] != b[name] for name in a.keys() & b.keys())
