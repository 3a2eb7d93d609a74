{#- Order lines per SKU and order week with their complaint and defect lines and maturity: the one
    SKU-week aggregation both the mart sku_defect_rates_weekly and the SPC baselines read (so an
    intermediate model never refs a mart). -#}
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
    from sku_week_counts as per_week
    cross join build_context
    left join skus
        on per_week.sku_id = skus.sku_id
)

select * from final
