{#- The complaints whose SLA stages and mart row an incremental build redoes (docs/incremental.md):
    those whose own rows changed (int_complaints_to_redo), those still unresolved (their open
    stages' status, overdue hours and backlog age move with as_of), and every complaint of a
    channel where a stage became observed or stopped being (int_sla_stages_observed). A complaint
    resolved at the last build and unchanged since is resolved now: its rows are final. Empty on a
    full build. -#}
with

to_redo as (
    select * from {{ ref('int_complaints_to_redo') }}
),

complaints as (
    select * from {{ ref('int_complaints_enriched') }}
),

milestones as (
    select * from {{ ref('int_complaint_events_pivoted') }}
),

observed_stages as (
    select * from {{ ref('int_sla_stages_observed') }}
),

{#- Open as the SLA stages and the backlog judge it: counted (a withdrawn complaint's stages and
    backlog age are null whatever as_of is), no remedy executed, no close after the last reopen, no
    resolved or closed state. -#}
unresolved as (
    select complaints.complaint_id
    from complaints
    left join milestones
        on complaints.complaint_id = milestones.complaint_id
    where {{ incremental_since_text() != '' }}
        and complaints.is_counted
        and milestones.remedy_executed_at is null
        and milestones.closed_after_last_reopen_at is null
        and coalesce(complaints.status not in ('resolved', 'closed'), true)
),

changed_channels as (
    select distinct channel
    from observed_stages
    where {{ incremental_since_text() != '' }}
        and is_observed is distinct from was_observed
),

in_changed_channels as (
    select complaints.complaint_id
    from complaints
    inner join changed_channels
        on complaints.channel = changed_channels.channel
),

to_reevaluate as (
    select complaint_id from to_redo
    union
    select complaint_id from unresolved
    union
    select complaint_id from in_changed_channels
)

select complaint_id from to_reevaluate
