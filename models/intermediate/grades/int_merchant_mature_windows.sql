{#- Each merchant's order lines over the grading window ending at every mature order week E: the
    var('grade_window_weeks') (default 12) order weeks up to and including E. The scorecard of a
    week W is graded on the window ending at the earlier of W and the latest mature week, so a grade
    never rests on immature weeks (data contract, "Grades and rankings judge mature data only"). -#}
with

weekly_rates as (
    select * from {{ ref('merchant_defect_rates_weekly') }}
),

merchants as (
    select * from {{ ref('stg_raw__merchants') }}
),

build_context as (
    select * from {{ ref('int_build_context') }}
),

bounds as (
    select
        min(weekly_rates.order_week) as first_week,
        max(case when weekly_rates.is_mature then weekly_rates.order_week end) as last_mature_week
    from weekly_rates
),

{#- Every week from the first order week to the latest mature one ends a window (weeks without any
    order still end one, so a quiet week's scorecard finds its window). -#}
window_ends as (
    {{ week_spine('(select first_week from bounds)', '(select last_mature_week from bounds)') }}
),

windowed as (
    select
        weekly_rates.merchant_id,
        window_ends.week_start as window_end_week,
        cast(sum(weekly_rates.order_lines) as bigint) as order_lines,
        cast(sum(weekly_rates.defect_lines) as bigint) as defect_lines
    from window_ends
    inner join weekly_rates
        on weekly_rates.order_week <= window_ends.week_start
        and weekly_rates.order_week > window_ends.week_start - {{ 7 * var('grade_window_weeks') | int }}
    where window_ends.week_start is not null
    group by weekly_rates.merchant_id, window_ends.week_start
),

final as (
    select
        windowed.merchant_id,
        merchants.merchant_name,
        merchants.category,
        windowed.window_end_week,
        cast(windowed.window_end_week - {{ 7 * (var('grade_window_weeks') | int - 1) }} as date)
            as window_start_week,
        windowed.window_end_week = bounds.last_mature_week as is_latest_window,
        windowed.order_lines,
        windowed.defect_lines,
        windowed.order_lines >= {{ var('min_volume_order_lines') }} as has_min_volume
    from windowed
    cross join bounds
    left join merchants
        on windowed.merchant_id = merchants.merchant_id
)

select * from final
