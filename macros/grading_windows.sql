{#- The grading windows merchants and SKUs are graded on (int_merchant_mature_windows,
    int_sku_mature_windows): one window per entity ending at every order week E from the first
    order week to the latest mature one, summing the var('grade_window_weeks') (default 12)
    order weeks up to and including E, so a grade or rank never rests on immature weeks (data
    contract, "Grades and rankings judge mature data only"). Written once so both entities keep
    the same window. -#}

{#- The CTEs bounds, window_ends and windowed over the weekly-rates CTE ``weekly`` (order_week,
    is_mature, order_lines, defect_lines), per ``key``; ``carried``: columns of ``weekly`` kept
    on each window (any value of the entity's rows). Weeks without any order still end a window,
    so a quiet week's scorecard finds its window. ``ends_to_redo``: a relation of the
    window_end_week values to compute (an incremental run); only the weeks they sum are read. -#}
{% macro grading_window_ctes(weekly, key, carried=[], ends_to_redo=none) -%}
bounds as (
    select
        min({{ weekly }}.order_week) as first_week,
        max(case when {{ weekly }}.is_mature then {{ weekly }}.order_week end) as last_mature_week
    from {{ weekly }}
),

window_ends as (
    {{ week_spine('(select first_week from bounds)', '(select last_mature_week from bounds)') }}
),

windowed as (
    select
        {{ weekly }}.{{ key }},
        window_ends.week_start as window_end_week,
        {%- for column in carried %}
        any_value({{ weekly }}.{{ column }}) as {{ column }},
        {%- endfor %}
        cast(sum({{ weekly }}.order_lines) as bigint) as order_lines,
        cast(sum({{ weekly }}.defect_lines) as bigint) as defect_lines
    from window_ends
    inner join {{ weekly }}
        on {{ weekly }}.order_week <= window_ends.week_start
        and {{ weekly }}.order_week > window_ends.week_start - {{ 7 * var('grade_window_weeks') | int }}
    where window_ends.week_start is not null
    {%- if ends_to_redo %}
        and window_ends.week_start in (select window_end_week from {{ ends_to_redo }})
        and {{ weekly }}.order_week > (select min(window_end_week) from {{ ends_to_redo }})
            - {{ 7 * var('grade_window_weeks') | int }}
        and {{ weekly }}.order_week <= (select max(window_end_week) from {{ ends_to_redo }})
    {%- endif %}
    group by {{ weekly }}.{{ key }}, window_ends.week_start
)
{%- endmacro %}

{#- The window's columns of the final select (from windowed cross join bounds). -#}
{% macro grading_window_columns() -%}
        windowed.window_end_week,
        cast(windowed.window_end_week - {{ 7 * (var('grade_window_weeks') | int - 1) }} as date)
            as window_start_week,
        windowed.window_end_week = bounds.last_mature_week as is_latest_window,
        windowed.order_lines,
        windowed.defect_lines,
        windowed.order_lines >= {{ var('min_volume_order_lines') }} as has_min_volume
{%- endmacro %}
