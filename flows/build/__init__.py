"""Building the warehouse: dbt build of the staging copy, as-of checks and the atomic publish
(with the analysts' marts-only copy)."""
