{#- One row per corrective action: its before and after defect rates, the test and the verdict.
    Rebuilt whole every run (maturity moves with as_of), but on DuckDB a daily run counts order
    lines only for the actions whose counts may have changed: those new or with other windows
    than at the last build, and those whose windows reach an order week the run redoes
    (int_order_weeks_to_redo). The others keep the counts the last build stored. -#}
{%- set before = previous_version(this) %}
-- depends_on: {{ ref('int_order_weeks_to_redo') }}
with

corrective_actions as (
    select * from {{ ref('stg_raw__corrective_actions') }}
),

order_lines as (
    select * from {{ ref('int_order_lines_flagged') }}
),

merchants as (
    select * from {{ ref('stg_raw__merchants') }}
),

build_context as (
    select * from {{ ref('int_build_context') }}
),

windows as (
    select
        corrective_actions.*,
        {{ add_days('opened_at', '-' ~ var('effectiveness_window_days')) }} as before_start_at,
        {{ add_days('completed_at', var('effectiveness_window_days')) }} as after_end_at
    from corrective_actions
),

{%- if before %}

order_weeks_to_redo as (
    select * from {{ ref('int_order_weeks_to_redo') }}
),

kept_counts as (
    select
        stored.action_id,
        stored.before_order_lines,
        stored.before_defect_lines,
        stored.after_order_lines,
        stored.after_defect_lines
    from {{ before }} as stored
    inner join windows
        on stored.action_id = windows.action_id
        and stored.merchant_id = windows.merchant_id
        and stored.sku_id is not distinct from windows.sku_id
        and stored.opened_at = windows.opened_at
        and stored.completed_at is not distinct from windows.completed_at
    where not exists (
        select 1
        from order_weeks_to_redo
        where order_weeks_to_redo.order_week between
                {{ local_date('windows.before_start_at') }} - 6 and {{ local_date('windows.opened_at') }}
            or order_weeks_to_redo.order_week between
                {{ local_date('windows.completed_at') }} - 6 and {{ local_date('windows.after_end_at') }}
    )
),
{%- endif %}

windows_to_count as (
    select * from windows
    {%- if before %}
    where action_id not in (select action_id from kept_counts)
    {%- endif %}
),

scoped_lines as (
    select
        windows.action_id,
        order_lines.ordered_at >= windows.before_start_at
            and order_lines.ordered_at < windows.opened_at as is_before,
        order_lines.ordered_at >= windows.completed_at
            and order_lines.ordered_at < windows.after_end_at as is_after,
        order_lines.has_confirmed_defect
    from windows_to_count as windows
    inner join order_lines
        on order_lines.merchant_id = windows.merchant_id
        and (windows.sku_id is null or order_lines.sku_id = windows.sku_id)
        and (
            (order_lines.ordered_at >= windows.before_start_at and order_lines.ordered_at < windows.opened_at)
            or (order_lines.ordered_at >= windows.completed_at and order_lines.ordered_at < windows.after_end_at)
        )
    {%- if before %}
    -- The span of the windows counted again, so that zone maps skip the other order lines.
    where order_lines.ordered_at >= (select min(before_start_at) from windows_to_count)
        and order_lines.ordered_at < (select max(coalesce(after_end_at, opened_at)) from windows_to_count)
    {%- endif %}
),

counts as (
    select
        action_id,
        count(case when is_before then 1 end) as before_order_lines,
        count(case when is_before and has_confirmed_defect then 1 end) as before_defect_lines,
        count(case when is_after then 1 end) as after_order_lines,
        count(case when is_after and has_confirmed_defect then 1 end) as after_defect_lines
    from scoped_lines
    group by action_id
    {%- if before %}
    union all
    select * from kept_counts
    {%- endif %}
),

rates as (
    select
        windows.*,
        coalesce(counts.before_order_lines, 0) as before_order_lines,
        coalesce(counts.before_defect_lines, 0) as before_defect_lines,
        coalesce(counts.after_order_lines, 0) as after_order_lines,
        coalesce(counts.after_defect_lines, 0) as after_defect_lines
    from windows
    left join counts
        on windows.action_id = counts.action_id
),

tested as (
    select
        *,
        {{ safe_rate('before_defect_lines', 'before_order_lines') }} as before_defect_rate,
        {{ safe_rate('after_defect_lines', 'after_order_lines') }} as after_defect_rate,
        {{ two_proportion_z('before_defect_lines', 'before_order_lines', 'after_defect_lines', 'after_order_lines') }}
            as z_statistic
    from rates
),

evaluated as (
    select
        tested.*,
        {{ two_sided_p_value('tested.z_statistic') }} as p_value,
        {{ halving_power('tested.before_defect_rate', 'tested.before_order_lines', 'tested.after_order_lines') }}
            as power,
        tested.completed_at is not null
            and build_context.as_of >= {{ add_days('tested.completed_at', var('effectiveness_window_days') ~ ' + ' ~ var('complaint_lag_days')) }}
            as is_mature
    from tested
    cross join build_context
),

{#- The contract's verdicts. An immature (or uncompleted) action is pending, never effective; a
    mature one is effective / worsened on a significant change, else no_detectable_change only when
    the test could have seen a halving (power >= 0.8), else insufficient_data. A before window without
    defects is insufficient_data whatever the after window shows (there is no rate to halve). -#}
judged as (
    select
        *,
        case
            when not is_mature then 'pending'
            when before_defect_lines = 0 or p_value is null then 'insufficient_data'
            when p_value < {{ var('effectiveness_p_value') }}
                and after_defect_rate < before_defect_rate then 'effective'
            when p_value < {{ var('effectiveness_p_value') }}
                and after_defect_rate > before_defect_rate then 'worsened'
            when power >= {{ var('effectiveness_min_power') }} then 'no_detectable_change'
            else 'insufficient_data'
        end as verdict
    from evaluated
),

final as (
    select
        evaluated.action_id,
        evaluated.merchant_id,
        evaluated.sku_id,
        coalesce(merchants.merchant_name, evaluated.merchant_id) as merchant_name,
        merchants.category,
        evaluated.scope,
        evaluated.issue_type,
        evaluated.action_type,
        evaluated.before_order_lines,
        evaluated.before_defect_lines,
        evaluated.before_defect_rate,
        evaluated.after_order_lines,
        evaluated.after_defect_lines,
        evaluated.after_defect_rate,
        case when evaluated.before_defect_rate > 0
            then (evaluated.after_defect_rate - evaluated.before_defect_rate) / evaluated.before_defect_rate
        end as relative_change,
        {{ relative_change_bound('evaluated.before_defect_lines', 'evaluated.before_order_lines',
            'evaluated.after_defect_lines', 'evaluated.after_order_lines', -1) }} as relative_change_ci_low,
        {{ relative_change_bound('evaluated.before_defect_lines', 'evaluated.before_order_lines',
            'evaluated.after_defect_lines', 'evaluated.after_order_lines', 1) }} as relative_change_ci_high,
        evaluated.z_statistic,
        evaluated.p_value,
        evaluated.power,
        evaluated.verdict = 'effective' as is_effective,
        evaluated.is_mature,
        evaluated.verdict as evaluation,
        evaluated.completed_at is not null as is_completed,
        evaluated.opened_at,
        evaluated.completed_at,
        evaluated.before_start_at,
        evaluated.after_end_at
    from judged as evaluated
    left join merchants
        on evaluated.merchant_id = merchants.merchant_id
)

select * from final
