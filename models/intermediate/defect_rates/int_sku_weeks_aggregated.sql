{#- Order lines per SKU and order week with their complaint and defect lines and maturity: the one
    SKU-week aggregation both the mart sku_defect_rates_weekly and the SPC baselines read (so an
    intermediate model never refs a mart). Kept by SKU and order week on DuckDB
    (macros/incremental.sql, only_sku_rows_to_redo). -#}
{{ config(**incremental_by_sku_rows('only_sku_rows_to_redo()')) }}
-- depends_on: {{ ref('int_sku_weeks_to_redo') }}
-- depends_on: {{ ref('int_skus_to_redo') }}
with

sku_week_counts as (
    select * from {{ ref('int_sku_week_counts') }}
),

skus as (
    select * from {{ ref('stg_raw__skus') }}
),

build_context as (
    select * from {{ ref('int_build_context') }}
),

counts_to_redo as (
    select * from sku_week_counts
    where {{ only_sku_rows_to_redo() }}
),

final as (
    select
        per_week.sku_id,
        coalesce(skus.merchant_id, per_week.order_merchant_id) as merchant_id,
        per_week.order_week,
        per_week.order_lines,
        per_week.complaint_lines,
        per_week.defect_lines,
        {{ safe_rate('per_week.defect_lines', 'per_week.order_lines') }} as defect_rate,
        {{ is_week_mature('per_week.order_week', 'build_context.as_of') }} as is_mature
    from counts_to_redo as per_week
    cross join build_context
    left join skus
        on per_week.sku_id = skus.sku_id
)

select * from final
