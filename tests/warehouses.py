"""The small warehouse every test area reads: built by the project's own commands (``complaints
generate`` then ``complaints run``: real ingest, real dbt) once per test session, and a way to
stand in for the next build of it (for the tests of readers during a republish)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from tests.dashboards.pipeline_warehouse import build_pipeline_warehouse


def build_small_warehouse(folder: Path) -> Path:
    """``complaints generate --orders 20000`` into ``folder``, then ``complaints run`` there."""
    return build_pipeline_warehouse(folder)


def next_build(built: Path, dest: Path) -> Path:
    """A copy of ``built`` whose numbers differ, as the next published build's would (one more
    refund on every counted complaint, one more defect line on every order week): the readers'
    tests tell the two states apart by them."""
    shutil.copyfile(built, dest)
    with duckdb.connect(str(dest)) as con:
        con.execute(
            "update marts.complaints set refund_amount = coalesce(refund_amount, 0) + 1 "
            "where is_counted"
        )
        con.execute(
            "update marts.merchant_defect_rates_weekly set defect_lines = defect_lines + 1 "
            "where order_lines > defect_lines"
        )
        con.execute("checkpoint")
    return dest
