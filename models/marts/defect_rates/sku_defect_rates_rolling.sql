{#- Recent defect rates per SKU over the rolling windows [as_of - window, as_of): descriptive
    only. These windows end at as_of and so hold immature weeks: ranks and shrunk rates live on
    the mature grading windows (marts.sku_rankings). -#}
with

sku_windows as (
    select * from {{ ref('int_sku_windows_aggregated') }}
),

skus as (
    select * from {{ ref('stg_raw__skus') }}
),

merchants as (
    select * from {{ ref('stg_raw__merchants') }}
),

entity_windows as (
    select
        sku_windows.sku_id,
        coalesce(skus.merchant_id, sku_windows.order_merchant_id) as merchant_id,
        skus.sku_name,
        coalesce(merchants.merchant_name, skus.merchant_id, sku_windows.order_merchant_id)
            as merchant_name,
        merchants.category,
        sku_windows.window_days,
        sku_windows.window_start_at,
        sku_windows.window_end_at,
        sku_windows.order_lines,
        sku_windows.complaint_lines,
        sku_windows.defect_lines
    from sku_windows
    left join skus
        on sku_windows.sku_id = skus.sku_id
    left join merchants
        on coalesce(skus.merchant_id, sku_windows.order_merchant_id) = merchants.merchant_id
),

final as (
    select
        sku_id,
        merchant_id,
        sku_name,
        merchant_name,
        category,
        window_days,
        order_lines,
        complaint_lines,
        defect_lines,
        {{ safe_rate('complaint_lines', 'order_lines') }} as complaint_rate,
        {{ rate_with_interval('defect_lines', 'order_lines', 'defect_rate') }},
        order_lines >= {{ var('min_volume_order_lines') }} as has_min_volume,
        window_start_at,
        window_end_at
    from entity_windows
)

select * from final
