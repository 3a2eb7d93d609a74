{#- Each SKU's order lines over the grading window ending at every mature order week E: the
    var('grade_window_weeks') (default 12) order weeks up to and including E, as for merchants
    (int_merchant_mature_windows), so SKU ranks never rest on immature weeks either. -#}
with

weekly_rates as (
    select * from {{ ref('sku_defect_rates_weekly') }}
),

bounds as (
    select
        min(weekly_rates.order_week) as first_week,
        max(case when weekly_rates.is_mature then weekly_rates.order_week end) as last_mature_week
    from weekly_rates
),

window_ends as (
    {{ week_spine('(select first_week from bounds)', '(select last_mature_week from bounds)') }}
),

windowed as (
    select
        weekly_rates.sku_id,
        window_ends.week_start as window_end_week,
        any_value(weekly_rates.merchant_id) as merchant_id,
        any_value(weekly_rates.sku_name) as sku_name,
        any_value(weekly_rates.merchant_name) as merchant_name,
        any_value(weekly_rates.category) as category,
        cast(sum(weekly_rates.order_lines) as bigint) as order_lines,
        cast(sum(weekly_rates.defect_lines) as bigint) as defect_lines
    from window_ends
    inner join weekly_rates
        on weekly_rates.order_week <= window_ends.week_start
        and weekly_rates.order_week > window_ends.week_start - {{ 7 * var('grade_window_weeks') | int }}
    where window_ends.week_start is not null
    group by weekly_rates.sku_id, window_ends.week_start
),

final as (
    select
        windowed.sku_id,
        windowed.merchant_id,
        windowed.sku_name,
        windowed.merchant_name,
        windowed.category,
        windowed.window_end_week,
        cast(windowed.window_end_week - {{ 7 * (var('grade_window_weeks') | int - 1) }} as date)
            as window_start_week,
        windowed.window_end_week = bounds.last_mature_week as is_latest_window,
        windowed.order_lines,
        windowed.defect_lines,
        windowed.order_lines >= {{ var('min_volume_order_lines') }} as has_min_volume
    from windowed
    cross join bounds
)

select * from final
