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

scoped_lines as (
    select
        windows.action_id,
        order_lines.ordered_at >= windows.before_start_at
            and order_lines.ordered_at < windows.opened_at as is_before,
        order_lines.ordered_at >= windows.completed_at
            and order_lines.ordered_at < windows.after_end_at as is_after,
        order_lines.has_confirmed_defect
    from windows
    inner join order_lines
        on order_lines.merchant_id = windows.merchant_id
        and (windows.sku_id is null or order_lines.sku_id = windows.sku_id)
        and (
            (order_lines.ordered_at >= windows.before_start_at and order_lines.ordered_at < windows.opened_at)
            or (order_lines.ordered_at >= windows.completed_at and order_lines.ordered_at < windows.after_end_at)
        )
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
        tested.completed_at is not null
            and build_context.as_of >= {{ add_days('tested.completed_at', var('effectiveness_window_days') ~ ' + ' ~ var('complaint_lag_days')) }}
            as is_mature
    from tested
    cross join build_context
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
        evaluated.z_statistic,
        evaluated.p_value,
        coalesce(
            evaluated.is_mature
            and evaluated.after_defect_rate < evaluated.before_defect_rate
            and evaluated.p_value < {{ var('effectiveness_p_value') }},
            false
        ) as is_effective,
        evaluated.is_mature,
        case
            when evaluated.completed_at is null then 'in_progress'
            when not evaluated.is_mature then 'pending'
            when evaluated.after_defect_rate < evaluated.before_defect_rate
                and evaluated.p_value < {{ var('effectiveness_p_value') }} then 'effective'
            else 'not_effective'
        end as evaluation,
        evaluated.opened_at,
        evaluated.completed_at,
        evaluated.before_start_at,
        evaluated.after_end_at
    from evaluated
    left join merchants
        on evaluated.merchant_id = merchants.merchant_id
)

select * from final
