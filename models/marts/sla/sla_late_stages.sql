-- One row per counted complaint and SLA stage that is late: breached (done late, or never done
-- while its deadline passed unresolved) or open_overdue. The SLA page's list of who is late on
-- what and the scorecards' overdue lists read this instead of unpivoting marts.complaints four times.
-- Incremental by complaint (macros/incremental.sql): a daily run redoes the complaints
-- int_complaints_to_reevaluate lists.
{{ config(**incremental_by_complaint('int_complaints_to_reevaluate')) }}
-- depends_on: {{ ref('int_complaints_to_reevaluate') }}
with

sla_stages as (
    select * from {{ ref('int_complaint_sla_stages_evaluated') }}
    where {{ only_complaints_to_redo('complaint_id', 'int_complaints_to_reevaluate') }}
),

complaints as (
    select * from {{ ref('complaints') }}
    where {{ only_complaints_to_redo('complaint_id', 'int_complaints_to_reevaluate') }}
),

late_stages as (
    select
        complaints.complaint_id,
        complaints.merchant_id,
        complaints.merchant_name,
        complaints.category,
        complaints.sku_id,
        complaints.sku_name,
        complaints.channel,
        complaints.received_week,
        sla_stages.stage,
        sla_stages.status as sla_status,
        sla_stages.target_value,
        sla_stages.target_unit,
        sla_stages.deadline_at,
        sla_stages.elapsed_hours,
        sla_stages.elapsed_working_hours,
        sla_stages.overdue_hours,
        complaints.status as complaint_status,
        complaints.received_at
    from sla_stages
    inner join complaints
        on sla_stages.complaint_id = complaints.complaint_id
    where complaints.is_counted
        and sla_stages.status in ('breached', 'open_overdue')
),

final as (
    select * from late_stages
)

select * from final
