{{ config(**incremental_by_received_week()) }}
-- depends_on: {{ ref('int_received_weeks_to_redo') }}
with

complaints as (
    select * from {{ ref('int_complaints_enriched') }}
    where {{ only_received_weeks_to_redo('received_week') }}
),

sla_stages as (
    select * from {{ ref('int_complaint_sla_stages_evaluated') }}
),

counted_stages as (
    select
        complaints.received_week,
        complaints.channel,
        sla_stages.stage,
        sla_stages.status
    from sla_stages
    inner join complaints
        on sla_stages.complaint_id = complaints.complaint_id
    where complaints.is_counted
),

counts as (
    select
        received_week,
        channel,
        stage,
        {{ sla_status_counts() }}
    from counted_stages
    group by received_week, channel, stage
),

final as (
    select
        channel,
        stage,
        {%- for status in sla_statuses() %}
        n_{{ status }},
        {%- endfor %}
        n_measured,
        {{ sla_compliance_columns() }},
        {{ iso_week_label('received_week') }} as iso_week,
        received_week,
        {{ sla_pending_columns('counts') }}
    from counts
)

select * from final
