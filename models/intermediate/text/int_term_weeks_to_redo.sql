{#- The received weeks an incremental build redoes in term_trends_weekly (docs/incremental.md). A
    week's rows count its own complaints' terms and compare them with the emerging_baseline_weeks
    weeks before it, are partial while as_of falls inside the week, and count baseline weeks from
    the first received week. So the list holds
    - every received week to redo (int_received_weeks_to_redo) and the emerging_baseline_weeks
      weeks after each, whose baselines hold it;
    - the weeks partial now and those partial at the last build (read from the mart's previous
      version);
    - every week, when a week to redo is at or before the first received week now (the first
      week may have moved, and with it every early week's baseline_weeks).
    Empty on a full build. -#}
{%- set trends_before = previous_version_of('term_trends_weekly') %}
with

received_weeks_to_redo as (
    select * from {{ ref('int_received_weeks_to_redo') }}
),

complaints as (
    select * from {{ ref('int_complaints_enriched') }}
),

build_context as (
    select * from {{ ref('int_build_context') }}
),

received_weeks as (
    select
        received_week,
        bool_or(is_counted) as has_counted
    from complaints
    group by received_week
),

first_week as (
    select min(received_week) as first_received_week
    from received_weeks
    where has_counted
),

redone_and_after as (
    {{- received_weeks_and_after('received_weeks_to_redo', var('emerging_baseline_weeks')) }}
),

partial_now as (
    select received_weeks.received_week
    from received_weeks
    cross join build_context
    where {{ local_date('build_context.as_of') }} < received_weeks.received_week + 6
),

every_week_when_first_moved as (
    select received_weeks.received_week
    from received_weeks
    cross join first_week
    where (select min(received_week) from received_weeks_to_redo) <= first_week.first_received_week
),

{%- if trends_before %}

partial_before as (
    select received_week
    from {{ trends_before }}
    where is_partial_week
),
{%- endif %}

weeks as (
    select received_week from redone_and_after
    union
    select received_week from partial_now
    union
    select received_week from every_week_when_first_moved
    {%- if trends_before %}
    union
    select received_week from partial_before
    {%- endif %}
)

select received_week from weeks
