"""The beta prior of each (grading window, category) over SKUs, fitted by maximum likelihood.

The same fit as the merchants' (flows/priors.py, int_grade_priors_fitted) over the SKUs at the
minimum volume; see docs/decisions.md, "SKU ranks use the merchants' fitted prior machinery".
"""

from flows.priors import WINDOW_COLUMNS, fit_window_priors, to_pandas


def model(dbt, session):
    dbt.config(materialized="table")
    windows = to_pandas(dbt.ref("int_sku_mature_windows"), WINDOW_COLUMNS)
    priors = fit_window_priors(
        windows,
        min_volume=int(dbt.config.get("min_volume_order_lines")),
        min_merchants=int(dbt.config.get("prior_min_merchants")),
        floor=float(dbt.config.get("prior_strength_floor")),
    )
    return priors.rename(columns={"n_merchants_fitted": "n_skus_fitted"})
