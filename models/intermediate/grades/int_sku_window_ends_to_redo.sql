{#- The SKU grading windows an incremental build redoes, by window end week (docs/incremental.md):
    every window holding a SKU week to redo (its end lies within grade_window_weeks of the week),
    the latest window now and at the last build (is_latest_window moves), and every window of a
    SKU with a new master row (the windows carry its names and category). Windows before are read
    from int_sku_mature_windows before this build redoes it. On a full build nothing is filtered
    by this list. -#}
{%- set windows_before = previous_version_of('int_sku_mature_windows') %}
with

weeks_to_redo as (
    select * from {{ ref('int_sku_weeks_to_redo') }}
),

skus_to_redo as (
    select * from {{ ref('int_skus_to_redo') }}
),

sku_weeks as (
    select * from {{ ref('int_sku_weeks_aggregated') }}
),

ends_holding_a_week as (
    {%- for weeks_later in range(var('grade_window_weeks') | int) %}
    select cast(order_week + {{ 7 * weeks_later }} as date) as window_end_week
    from weeks_to_redo
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

latest_end_now as (
    select max(case when is_mature then order_week end) as window_end_week
    from sku_weeks
),

{%- if windows_before %}

ends_before as (
    select window_end_week
    from {{ windows_before }}
    where is_latest_window
        or sku_id in (select sku_id from skus_to_redo where has_new_master)
),
{%- endif %}

ends as (
    select window_end_week from ends_holding_a_week
    union
    select window_end_week from latest_end_now
    {%- if windows_before %}
    union
    select window_end_week from ends_before
    {%- endif %}
)

select window_end_week
from ends
where window_end_week is not null
