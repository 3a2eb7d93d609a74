{#- Merchants ranked per SLA stage, worst first: compliance over the complaints received in the
    last var('sla_ranking_weeks') weeks (default 26) up to the week of as_of, with its Wilson
    interval. Only merchants with at least var('sla_min_measured') measured complaints in the stage
    are ranked; the others are listed with their n and no rank. Built on the merchant-week counts,
    so it follows whatever stage outcomes the SLA model gives. -#}
with

merchant_weeks as (
    select * from {{ ref('sla_compliance_merchant_weekly') }}
),

build_context as (
    select * from {{ ref('int_build_context') }}
),

window_bounds as (
    select
        {{ local_week('as_of') }} as last_week,
        cast({{ local_week('as_of') }} - {{ 7 * (var('sla_ranking_weeks') | int - 1) }} as date)
            as first_week
    from build_context
),

per_merchant as (
    select
        merchant_weeks.merchant_id,
        any_value(merchant_weeks.merchant_name) as merchant_name,
        any_value(merchant_weeks.category) as category,
        merchant_weeks.stage,
        cast(sum(merchant_weeks.n_measured) as bigint) as n_measured,
        cast(sum(merchant_weeks.n_met) as bigint) as n_met,
        any_value(window_bounds.first_week) as window_start_week,
        any_value(window_bounds.last_week) as window_end_week
    from merchant_weeks
    cross join window_bounds
    where merchant_weeks.received_week between window_bounds.first_week and window_bounds.last_week
    group by merchant_weeks.merchant_id, merchant_weeks.stage
),

ranked as (
    select
        *,
        n_measured >= {{ var('sla_min_measured') }} as has_min_volume,
        case when n_measured >= {{ var('sla_min_measured') }} then
            row_number() over (
                partition by stage, n_measured >= {{ var('sla_min_measured') }}
                order by n_met * 1.0 / n_measured, n_measured desc, merchant_id
            )
        end as stage_rank
    from per_merchant
),

final as (
    select
        stage,
        merchant_id,
        merchant_name,
        category,
        window_start_week,
        window_end_week,
        n_measured,
        n_met,
        {{ rate_with_interval('n_met', 'n_measured', 'compliance_rate') }},
        has_min_volume,
        stage_rank
    from ranked
)

select * from final
