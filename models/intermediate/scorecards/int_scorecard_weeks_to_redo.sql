{#- The first week an incremental build redoes in the weekly merchant scorecard: it redoes that
    week and every later one, for every merchant (docs/incremental.md, "The scorecard from its
    first changed week"). The earliest of:
    - the order weeks and received weeks redone upstream (their figures, and the trends, grades
      and category medians of the weeks from there on);
    - the weeks whose maturity changed with the reference time (the latest mature week decides
      which grading window the later weeks show);
    - the earliest merchant-week the stored scorecard lacks (a merchant seen for the first time,
      an earlier first week, a new week);
    - the earliest merchant-week whose recurrence count changed (a recurrence is counted in the
      recurring complaint's week, which the closed complaint's redo does not name);
    - the first week, when a merchant master row was loaded since the last build (names and
      categories are on every week).
    read_from_week: three weeks earlier, the weeks the redone weeks' trends read. The stored
    scorecard is read before this build redoes it (it runs after this model). Null on a full
    build, on the first build and on Spark, which rebuild the scorecard whole. -#}
{%- set scorecard_before = previous_version_of('merchant_scorecard_weekly') %}
with

order_weeks_to_redo as (
    select * from {{ ref('int_order_weeks_to_redo') }}
),

received_weeks_to_redo as (
    select * from {{ ref('int_received_weeks_to_redo') }}
),

merchant_weeks as (
    select * from {{ ref('int_merchant_weeks_spined') }}
),

merchants as (
    select * from {{ ref('stg_raw__merchants') }}
),

recurrences as (
    select * from {{ ref('int_merchant_week_recurrences') }}
),

build_context as (
    select * from {{ ref('int_build_context') }}
),

{%- if scorecard_before %}

scorecard_before as (
    select merchant_id, week_start, is_mature, n_recurrences
    from {{ scorecard_before }}
),

first_weeks as (
    select min(order_week) as week_start from order_weeks_to_redo
    union all
    select min(received_week) from received_weeks_to_redo
    union all
    select min(scorecard_before.week_start)
    from scorecard_before
    cross join build_context
    where scorecard_before.is_mature
        <> {{ is_week_mature('scorecard_before.week_start', 'build_context.as_of') }}
    union all
    select min(merchant_weeks.week_start)
    from merchant_weeks
    left join scorecard_before
        on merchant_weeks.merchant_id = scorecard_before.merchant_id
        and merchant_weeks.week_start = scorecard_before.week_start
    where scorecard_before.merchant_id is null
    union all
    select min(scorecard_before.week_start)
    from scorecard_before
    left join recurrences
        on scorecard_before.merchant_id = recurrences.merchant_id
        and scorecard_before.week_start = recurrences.received_week
    where scorecard_before.n_recurrences <> coalesce(recurrences.n_recurrences, 0)
    union all
    select min(merchant_weeks.week_start)
    from merchant_weeks
    where exists (
        select 1 from merchants where merchants.ingested_at > {{ incremental_since() }}
    )
),

first_week as (
    select min(week_start) as from_week
    from first_weeks
),
{%- else %}

first_week as (
    select cast(null as date) as from_week
),
{%- endif %}

final as (
    select
        from_week,
        cast({{ dbt.dateadd('day', -21, 'from_week') }} as date) as read_from_week
    from first_week
)

select * from final
