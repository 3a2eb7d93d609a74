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

merchants as (
    select * from {{ ref('stg_raw__merchants') }}
),

counted_stages as (
    select
        complaints.merchant_id,
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
        merchant_id,
        received_week,
        channel,
        stage,
        {{ sla_status_counts() }}
    from counted_stages
    group by merchant_id, received_week, channel, stage
),

final as (
    select
        counts.merchant_id,
        coalesce(merchants.merchant_name, counts.merchant_id) as merchant_name,
        merchants.category,
        counts.channel,
        counts.stage,
        {%- for status in sla_statuses() %}
        counts.n_{{ status }},
        {%- endfor %}
        counts.n_measured,
        {{ sla_compliance_columns() }},
        {{ iso_week_label('counts.received_week') }} as iso_week,
        counts.received_week,
        {{ sla_pending_columns('counts') }}
    from counts
    left join merchants
        on counts.merchant_id = merchants.merchant_id
)

select * from final
