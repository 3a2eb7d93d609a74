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
        {{ to_instant_local(date_at_time('day', var('working_hours')['start'])) }} as work_start_at,
        {{ to_instant_local(date_at_time('day', var('working_hours')['end'])) }} as work_end_at
    from working_days
),

with_length as (
    select
        *,
        {{ epoch_us('work_end_at') }} - {{ epoch_us('work_start_at') }} as length_us
    from intervals
),

cumulative as (
    select
        work_date,
        work_start_at,
        work_end_at,
        length_us,
        cast(coalesce(
            sum(length_us) over (
                order by work_date rows between unbounded preceding and 1 preceding
            ),
            0
        ) as bigint) as cum_start_us,
        cast(sum(length_us) over (order by work_date rows unbounded preceding) as bigint)
            as cum_end_us
    from with_length
),

final as (
    select
        *,
        -- The next interval's keys (null on the last): the range-join spelling of the ASOF joins
        -- on engines without them (macro asof_left_join).
        lead(work_start_at) over (order by work_date) as next_work_start_at,
        lead(cum_start_us) over (order by work_date) as next_cum_start_us
    from cumulative
)

select * from final
