{#- The received weeks an incremental build redoes in the weekly aggregates of per-complaint rows
    (docs/incremental.md): the weeks of every complaint whose rows it redoes (now), and the week a
    changed complaint was received in at the last build (a corrected receipt time moves it). Empty
    on a full build. -#}
with

to_reevaluate as (
    select * from {{ ref('int_complaints_to_reevaluate') }}
),

to_redo as (
    select * from {{ ref('int_complaints_to_redo') }}
),

complaints as (
    select * from {{ ref('int_complaints_enriched') }}
),

weeks_now as (
    select complaints.received_week
    from complaints
    inner join to_reevaluate
        on complaints.complaint_id = to_reevaluate.complaint_id
),

weeks_before as (
    select received_week_before as received_week
    from to_redo
    where received_week_before is not null
),

weeks as (
    select received_week from weeks_now
    union
    select received_week from weeks_before
)

select received_week from weeks
