{#- One row per channel x SLA stage: whether any loaded complaint of the channel shows the stage's
    completing event. A platform that never records a stage on a channel (e.g. no merchant evidence
    on the hotline) must not have it counted as breached there: it is not_observed (data contract,
    "SLA targets"). Withdrawn complaints count as evidence too: their events show what is recorded.
    was_observed: the same in the previous build (an incremental one redoes every complaint of a
    channel whose stage changed). -#}
{%- set previous = previous_version(this) %}
with

complaints as (
    select * from {{ ref('int_complaints_enriched') }}
),

milestones as (
    select * from {{ ref('int_complaint_events_pivoted') }}
),

completions as (
    select
        complaints.channel,
        count(*) as n_complaints,
        count(milestones.acknowledged_at) as n_acknowledge,
        count(milestones.merchant_notified_at) as n_merchant_notified,
        count(milestones.merchant_evidence_at) as n_merchant_evidence,
        count(
            coalesce(
                milestones.remedy_executed_at,
                milestones.closed_after_last_reopen_at,
                milestones.closed_at
            )
        ) as n_resolution
    from complaints
    left join milestones
        on complaints.complaint_id = milestones.complaint_id
    group by complaints.channel
),

stages as (
    {%- for stage in sla_stages() %}
    select
        channel,
        '{{ stage }}' as stage,
        n_complaints,
        n_{{ stage }} as n_completed
    from completions
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        stages.channel,
        stages.stage,
        stages.n_complaints,
        stages.n_completed,
        stages.n_completed > 0 as is_observed,
        {%- if previous %}
        previous.is_observed as was_observed
        {%- else %}
        stages.n_completed > 0 as was_observed
        {%- endif %}
    from stages
    {%- if previous %}
    left join {{ previous }} as previous
        on stages.channel = previous.channel
        and stages.stage = previous.stage
    {%- endif %}
)

select * from final
