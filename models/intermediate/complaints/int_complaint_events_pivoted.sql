{#- One row per complaint id seen in the events: the instants of the life-cycle milestones the SLA
    and recurrence metrics need. Resolution is the first remedy_executed (else closed) after the
    last reopened event; each reopened event counts. -#}
with

complaint_events as (
    select * from {{ ref('stg_raw__complaint_events') }}
),

with_last_reopen as (
    select
        complaint_id,
        event_type,
        occurred_at,
        max(case when event_type = 'reopened' then occurred_at end)
            over (partition by complaint_id) as last_reopened_at
    from complaint_events
),

pivoted as (
    select
        complaint_id,
        min(case when event_type = 'received' then occurred_at end) as received_event_at,
        min(case when event_type = 'acknowledged' then occurred_at end) as acknowledged_at,
        min(case when event_type = 'merchant_notified' then occurred_at end) as merchant_notified_at,
        min(case when event_type = 'merchant_evidence_submitted' then occurred_at end)
            as merchant_evidence_at,
        min(case when event_type = 'classified' then occurred_at end) as classified_at,
        min(
            case
                when event_type = 'remedy_executed'
                    and (last_reopened_at is null or occurred_at > last_reopened_at)
                    then occurred_at
            end
        ) as remedy_executed_at,
        min(
            case
                when event_type = 'closed'
                    and (last_reopened_at is null or occurred_at > last_reopened_at)
                    then occurred_at
            end
        ) as closed_after_last_reopen_at,
        max(case when event_type = 'closed' then occurred_at end) as closed_at,
        max(last_reopened_at) as last_reopened_at,
        cast(count(case when event_type = 'reopened' then 1 end) as integer) as reopen_count
    from with_last_reopen
    group by complaint_id
)

select * from pivoted
