"""The beta prior of each (grading window, category), fitted by maximum likelihood.

DuckDB has neither digamma nor an optimiser, so this one step of the build is Python
(flows/priors.py; docs/decisions.md, "The ranking prior is fitted in a dbt Python model").
"""

from flows.priors import fit_window_priors


def model(dbt, session):
    dbt.config(materialized="table")
    windows = dbt.ref("int_merchant_mature_windows").df()
    return fit_window_priors(
        windows[["window_end_week", "category", "order_lines", "defect_lines"]],
        min_volume=int(dbt.config.get("min_volume_order_lines")),
        min_merchants=int(dbt.config.get("prior_min_merchants")),
        floor=float(dbt.config.get("prior_strength_floor")),
    )
