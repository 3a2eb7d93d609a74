"""Every loaded batch is validated by its entity's suite; row failures go to quarantine."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from flows.contract import ENTITIES
from flows.landing import expectations_run
from tests.ingest.samples import ORDER_HEADER, order, write_csv

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_each_entity_has_a_suite_built_in_code(entity):
    suite = importlib.import_module(f"expectations.{entity}").build_suite()
    types = {e.expectation_type for e in suite.expectations}
    assert "expect_column_to_exist" in types
    assert "expect_column_values_to_not_be_null" in types
    assert types & {"expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"}


def test_results_are_stored_per_file(run):
    write_csv(run.landing / "orders_1.csv", ORDER_HEADER, [order(n) for n in range(1, 8)])
    run()
    rows = run.rows(
        "select expectation, column_name, success, element_count, unexpected_count, scope "
        "from meta.expectation_results where file_name = 'orders_1.csv' order by 1, 2"
    )
    assert rows
    assert all(success for _, _, success, _, _, _ in rows)
    assert ("expect_column_values_to_be_between", "quantity", True, 7, 0, "all 7 rows") in rows
    unique_lines = ("expect_compound_columns_to_be_unique", "order_id,sku_id")
    assert (*unique_lines, True, 7, 0, "all 7 rows") in rows


def test_row_failing_an_expectation_is_quarantined_not_loaded(run, monkeypatch):
    import great_expectations as gx

    strict = gx.ExpectationSuite(
        name="strict_orders",
        expectations=[
            gx.expectations.ExpectColumnValuesToBeInSet(column="province", value_set=["广东"])
        ],
    )
    monkeypatch.setattr(expectations_run, "entity_suite", lambda entity: strict)
    rows = [order(1), order(2, province="浙江"), order(3)]
    write_csv(run.landing / "orders_2.csv", ORDER_HEADER, rows)
    result = run.file(run(), "orders_2.csv")
    assert (result.rows_loaded, result.rows_quarantined) == (2, 1)
    assert run.rows("select row_number, reason from meta.quarantine") == [
        (2, "failed expectation: expect_column_values_to_be_in_set on province")
    ]
    assert run.rows("select count(*) from raw.orders where province = '浙江'") == [(0,)]


def test_large_batches_are_validated_on_a_bounded_sample(run):
    from dataclasses import replace

    run.settings = replace(run.settings, gx_max_rows_per_file=5)
    write_csv(run.landing / "orders_3.csv", ORDER_HEADER, [order(n) for n in range(1, 21)])
    run()
    scopes = run.rows("select distinct scope, element_count from meta.expectation_results")
    assert scopes == [("sample of 5 of 20 rows; SQL rules checked all rows", 5)]


def test_batches_are_not_fingerprinted():
    """The batch fingerprint GX would compute (a hash of every value, twice per validation) is
    switched off; this fails if a GX upgrade brings it back."""
    import pandas as pd

    frame = pd.DataFrame({"order_id": ["O1", "O2"], "_row_number": [1, 2]})
    batch = expectations_run._validator().get_batch(batch_parameters={"dataframe": frame})
    assert "pandas_data_fingerprint" not in batch.batch_markers


def test_modules_the_suites_never_use_are_imported_lazily():
    """GX's eager imports of scipy.stats and altair are deferred to first use (a
    fresh process: this one may have imported them already), and work when used."""
    code = (
        "import importlib.util, sys\n"
        "from expectations.gx import LAZY_MODULES, load_gx\n"
        "load_gx()\n"
        "lazy = [m for m in sorted(LAZY_MODULES)\n"
        "        if isinstance(sys.modules.get(m), importlib.util._LazyModule)]\n"
        "print(','.join(lazy))\n"
        "print(sys.modules['scipy.stats'].norm.cdf(0.0))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    assert out == ["altair,scipy.stats", "0.5"]
