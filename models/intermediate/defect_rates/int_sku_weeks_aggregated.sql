{#- Order lines per SKU and order week with their complaint and defect lines and maturity: the one
    SKU-week aggregation both the mart sku_defect_rates_weekly and the SPC baselines read (so an
    intermediate model never refs a mart). -#}
with

order_lines as (
    select * from {{ ref('int_order_lines_flagged') }}
),

skus as (
    select * from {{ ref('stg_raw__skus') }}
),

build_context as (
    select * from {{ ref('int_build_context') }}
),

per_week as (
    select
        sku_id,
        order_week,
        min(merchant_id) as order_merchant_id,
        count(*) as order_lines,
        count(case when has_counted_complaint then 1 end) as complaint_lines,
        count(case when has_confirmed_defect then 1 end) as defect_lines
    from order_lines
    group by sku_id, order_week
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
    from per_week
    cross join build_context
    left join skus
        on per_week.sku_id = skus.sku_id
)

select * from final
