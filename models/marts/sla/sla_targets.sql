{#- The SLA target of every stage x channel with its unit, so pages and scorecards say what a
    target means (2 h is not 2 working hours) without reading the configuration. -#}
with

targets as (
    {{ sla_targets_values() }}
),

calendar_days as (
    select * from {{ ref('stg_calendar__working_days') }}
),

working_calendar as (
    select max(calendar) as working_calendar from calendar_days
),

final as (
    select
        targets.stage,
        targets.channel,
        targets.target_value,
        targets.target_unit,
        targets.target_hours,
        case when targets.target_unit in ('working_hours', 'working_days')
            then working_calendar.working_calendar
        end as working_calendar,
        case when targets.target_unit in ('working_hours', 'working_days')
            then '{{ var("working_hours")["start"] }}–{{ var("working_hours")["end"] }}'
        end as working_hours
    from targets
    cross join working_calendar
)

select * from final
