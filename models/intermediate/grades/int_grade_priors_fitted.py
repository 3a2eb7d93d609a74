"""The beta prior of each (grading window, category), fitted by maximum likelihood.

DuckDB has neither digamma nor an optimiser, so this one step of the build is Python
(flows/priors.py; docs/decisions.md, "The ranking prior is fitted in a dbt Python model").
The same model runs on DuckDB (a relation) and on Spark (a DataFrame; docs/spark.md).
On DuckDB only the windows whose rows changed are refitted (docs/incremental.md).
"""

from flows.priors import refit_changed_windows


def model(dbt, session):
    return refit_changed_windows(
        dbt,
        session,
        dbt.ref("int_merchant_mature_windows"),
        dbt.ref("int_merchant_window_fingerprints"),
        min_volume=int(dbt.config.get("min_volume_order_lines")),
        min_merchants=int(dbt.config.get("prior_min_merchants")),
        floor=float(dbt.config.get("prior_strength_floor")),
    )
