{#- Recent defect rates per merchant over the rolling windows [as_of - window, as_of): descriptive
    only. These windows end at as_of and so hold immature weeks: ranks and shrunk rates live on
    the mature grading windows (marts.merchant_grades). -#}
with

sku_windows as (
    select * from {{ ref('int_sku_windows_aggregated') }}
),

merchants as (
    select * from {{ ref('stg_raw__merchants') }}
),

merchant_windows as (
    select
        sku_windows.order_merchant_id as merchant_id,
        sku_windows.window_days,
        sku_windows.window_start_at,
        sku_windows.window_end_at,
        cast(sum(sku_windows.order_lines) as bigint) as order_lines,
        cast(sum(sku_windows.complaint_lines) as bigint) as complaint_lines,
        cast(sum(sku_windows.defect_lines) as bigint) as defect_lines
    from sku_windows
    group by
        sku_windows.order_merchant_id,
        sku_windows.window_days,
        sku_windows.window_start_at,
        sku_windows.window_end_at
),

entity_windows as (
    select
        merchant_windows.*,
        coalesce(merchants.merchant_name, merchant_windows.merchant_id) as merchant_name,
        merchants.category
    from merchant_windows
    left join merchants
        on merchant_windows.merchant_id = merchants.merchant_id
),

final as (
    select
        merchant_id,
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
