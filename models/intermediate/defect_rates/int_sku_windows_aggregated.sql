{#- Order lines per SKU over each rolling window [as_of - window, as_of) (elapsed days), the
    building block of the rolling merchant and SKU rates. -#}
with

order_lines as (
    select * from {{ ref('int_order_lines_flagged') }}
),

build_context as (
    select * from {{ ref('int_build_context') }}
),

windows as (
    {%- for days in var('rolling_windows_days') %}
    select
        {{ days }} as window_days,
        {{ add_days('as_of', '-' ~ days) }} as window_start_at,
        as_of as window_end_at
    from build_context
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

aggregated as (
    select
        order_lines.sku_id,
        min(order_lines.merchant_id) as order_merchant_id,
        windows.window_days,
        windows.window_start_at,
        windows.window_end_at,
        count(*) as order_lines,
        count(case when order_lines.has_counted_complaint then 1 end) as complaint_lines,
        count(case when order_lines.has_confirmed_defect then 1 end) as defect_lines
    from order_lines
    inner join windows
        on order_lines.ordered_at >= windows.window_start_at
        and order_lines.ordered_at < windows.window_end_at
    group by
        order_lines.sku_id,
        windows.window_days,
        windows.window_start_at,
        windows.window_end_at
)

select * from aggregated
