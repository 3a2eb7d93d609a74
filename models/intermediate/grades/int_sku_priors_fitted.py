"""The beta prior of each (grading window, category) over SKUs, fitted by maximum likelihood.

The same fit as the merchants' (flows/priors.py, int_grade_priors_fitted) over the SKUs at the
minimum volume; see docs/decisions.md, "SKU ranks use the merchants' fitted prior machinery".
On DuckDB only the windows whose rows changed are refitted (docs/incremental.md).
"""

from flows.priors import refit_changed_windows


def model(dbt, session):
    return refit_changed_windows(
        dbt,
        session,
        dbt.ref("int_sku_mature_windows"),
        dbt.ref("int_sku_window_fingerprints"),
        min_volume=int(dbt.config.get("min_volume_order_lines")),
        min_merchants=int(dbt.config.get("prior_min_merchants")),
        floor=float(dbt.config.get("prior_strength_floor")),
        count_column="n_skus_fitted",
    )
