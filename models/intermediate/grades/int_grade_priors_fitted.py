"""The beta prior of each (grading window, category), fitted by maximum likelihood.

DuckDB has neither digamma nor an optimiser, so this one step of the build is Python
(flows/priors.py; docs/decisions.md, "The ranking prior is fitted in a dbt Python model").
The same model runs on DuckDB (a relation) and on Spark (a DataFrame; docs/spark.md).
"""

from flows.priors import WINDOW_COLUMNS, fit_window_priors, to_pandas


def model(dbt, session):
    dbt.config(materialized="table")
    windows = to_pandas(dbt.ref("int_merchant_mature_windows"), WINDOW_COLUMNS)
    return fit_window_priors(
        windows,
        min_volume=int(dbt.config.get("min_volume_order_lines")),
        min_merchants=int(dbt.config.get("prior_min_merchants")),
        floor=float(dbt.config.get("prior_strength_floor")),
    )
