{#- One row per complaint: its enriched fields, milestones, SLA stages and backlog age.
    Incremental by complaint (macros/incremental.sql): a daily run redoes the complaints
    int_complaints_to_reevaluate lists. -#}
{{ config(**incremental_by_complaint('int_complaints_to_reevaluate')) }}
-- depends_on: {{ ref('int_complaints_to_reevaluate') }}
with

complaints as (
    select * from {{ ref('int_complaints_enriched') }}
    where {{ only_complaints_to_redo('complaint_id', 'int_complaints_to_reevaluate') }}
),

milestones as (
    select * from {{ ref('int_complaint_events_pivoted') }}
),

sla_stages as (
    select * from {{ ref('int_complaint_sla_stages_evaluated') }}
    where {{ only_complaints_to_redo('complaint_id', 'int_complaints_to_reevaluate') }}
),

merchants as (
    select * from {{ ref('stg_raw__merchants') }}
),

skus as (
    select * from {{ ref('stg_raw__skus') }}
),

build_context as (
    select * from {{ ref('int_build_context') }}
),

stages_wide as (
    select
        complaint_id,
        {%- for stage in sla_stages() %}
        max(case when stage = '{{ stage }}' then target_hours end) as {{ stage }}_target_hours,
        max(case when stage = '{{ stage }}' then target_unit end) as {{ stage }}_target_unit,
        max(case when stage = '{{ stage }}' then elapsed_working_hours end)
            as {{ stage }}_elapsed_working_hours,
        max(case when stage = '{{ stage }}' then deadline_at end) as {{ stage }}_deadline_at,
        max(case when stage = '{{ stage }}' then elapsed_hours end) as {{ stage }}_elapsed_hours,
        max(case when stage = '{{ stage }}' then status end) as {{ stage }}_status,
        max(case when stage = '{{ stage }}' then overdue_hours end) as {{ stage }}_overdue_hours,
        {%- endfor %}
        max(case when stage = 'resolution' then done_at end) as resolved_at
    from sla_stages
    group by complaint_id
),

final as (
    select
        complaints.complaint_id,
        complaints.order_id,
        complaints.sku_id,
        complaints.merchant_id,
        coalesce(merchants.merchant_name, complaints.merchant_id) as merchant_name,
        merchants.category,
        skus.sku_name,
        skus.category_l1,
        complaints.channel,
        complaints.issue_type,
        complaints.responsibility,
        complaints.remedy,
        complaints.status,
        complaints.description,
        complaints.buyer_phone_masked,
        complaints.refund_amount,
        complaints.compensation_amount,
        complaints.satisfaction,
        complaints.evidence_count,
        coalesce(milestones.reopen_count, 0) as reopen_count,
        {%- for stage in sla_stages() %}
        stages_wide.{{ stage }}_target_hours,
        stages_wide.{{ stage }}_target_unit,
        stages_wide.{{ stage }}_elapsed_hours,
        stages_wide.{{ stage }}_elapsed_working_hours,
        stages_wide.{{ stage }}_overdue_hours,
        stages_wide.{{ stage }}_status,
        {%- endfor %}
        complaints.is_counted,
        complaints.is_withdrawn,
        complaints.is_confirmed_defect,
        complaints.is_orphan_order,
        complaints.is_orphan_sku,
        complaints.is_orphan_merchant,
        complaints.received_week,
        complaints.order_week,
        complaints.received_at,
        milestones.acknowledged_at,
        milestones.merchant_notified_at,
        milestones.merchant_evidence_at,
        milestones.classified_at,
        milestones.remedy_executed_at,
        stages_wide.resolved_at,
        milestones.closed_at,
        {%- for stage in sla_stages() %}
        stages_wide.{{ stage }}_deadline_at,
        {%- endfor %}
        complaints.updated_at,
        {{ is_open_complaint('complaints.is_counted', 'stages_wide.resolved_at') }} as is_open,
        case when {{ is_open_complaint('complaints.is_counted', 'stages_wide.resolved_at') }} then
            {{ elapsed_hours('complaints.received_at', 'build_context.as_of') }} / 24.0
        end as backlog_age_days,
        case when {{ is_open_complaint('complaints.is_counted', 'stages_wide.resolved_at') }} then
            {{ backlog_age_bucket(elapsed_hours('complaints.received_at', 'build_context.as_of') ~ ' / 24.0') }}
        end as backlog_age_bucket
    from complaints
    cross join build_context
    left join milestones
        on complaints.complaint_id = milestones.complaint_id
    left join stages_wide
        on complaints.complaint_id = stages_wide.complaint_id
    left join merchants
        on complaints.merchant_id = merchants.merchant_id
    left join skus
        on complaints.sku_id = skus.sku_id
)

select * from final
