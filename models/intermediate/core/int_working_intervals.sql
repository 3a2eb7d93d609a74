{#- One row per working day: its business-hours interval as instants (var "working_hours", local
    wall-clock in the platform zone) and the working time before it (cumulative microseconds), so a
    working-time deadline is one ASOF join: the interval whose cumulative start is just below the
    goal (macros/working_time.sql). -#}
with

working_days as (
    select * from {{ ref('stg_calendar__working_days') }}
    where is_working_day
),

intervals as (
    select
        day as work_date,
        {{ to_instant_local("day + cast('" ~ var('working_hours')['start'] ~ "' as time)") }} as work_start_at,
        {{ to_instant_local("day + cast('" ~ var('working_hours')['end'] ~ "' as time)") }} as work_end_at
    from working_days
),

with_length as (
    select
        *,
        epoch_us(work_end_at) - epoch_us(work_start_at) as length_us
    from intervals
),

final as (
    select
        work_date,
        work_start_at,
        work_end_at,
        length_us,
        coalesce(
            sum(length_us) over (
                order by work_date rows between unbounded preceding and 1 preceding
            ),
            0
        )::bigint as cum_start_us,
        sum(length_us) over (order by work_date rows unbounded preceding)::bigint as cum_end_us
    from with_length
)

select * from final
