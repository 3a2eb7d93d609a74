with

order_lines as (
    select * from {{ ref('int_order_lines_flagged') }}
),

skus as (
    select * from {{ ref('stg_raw__skus') }}
),

merchants as (
    select * from {{ ref('stg_raw__merchants') }}
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
        skus.sku_name,
        coalesce(merchants.merchant_name, skus.merchant_id, per_week.order_merchant_id)
            as merchant_name,
        merchants.category,
        skus.category_l1,
        {{ iso_week_label('per_week.order_week') }} as iso_week,
        per_week.order_lines,
        per_week.complaint_lines,
        per_week.defect_lines,
        {{ rate_with_interval('per_week.complaint_lines', 'per_week.order_lines', 'complaint_rate') }},
        {{ rate_with_interval('per_week.defect_lines', 'per_week.order_lines', 'defect_rate') }},
        {{ is_week_mature('per_week.order_week', 'build_context.as_of') }} as is_mature,
        per_week.order_week
    from per_week
    cross join build_context
    left join skus
        on per_week.sku_id = skus.sku_id
    left join merchants
        on coalesce(skus.merchant_id, per_week.order_merchant_id) = merchants.merchant_id
)

select * from final
