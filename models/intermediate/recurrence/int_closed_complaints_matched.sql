{#- Closed complaints (counted, latest status closed; closed time = the last closed event, else the
    complaint's updated_at) with the first counted complaint that recurs each one: same SKU, same
    non-empty latest issue type, received in (closed_at, closed_at + window]. -#}
with

complaints as (
    select * from {{ ref('int_complaints_enriched') }}
),

milestones as (
    select * from {{ ref('int_complaint_events_pivoted') }}
),

build_context as (
    select * from {{ ref('int_build_context') }}
),

closed_complaints as (
    select
        complaints.complaint_id,
        complaints.sku_id,
        complaints.merchant_id,
        complaints.issue_type,
        coalesce(milestones.closed_at, complaints.updated_at) as closed_at
    from complaints
    left join milestones
        on complaints.complaint_id = milestones.complaint_id
    where complaints.is_counted
        and complaints.status = 'closed'
),

recurrences as (
    select
        closed_complaints.complaint_id,
        later.complaint_id as recurring_complaint_id,
        later.received_at as recurring_received_at,
        row_number() over (
            partition by closed_complaints.complaint_id
            order by later.received_at, later.complaint_id
        ) as recurrence_order
    from closed_complaints
    inner join complaints as later
        on closed_complaints.sku_id = later.sku_id
        and closed_complaints.issue_type = later.issue_type
        and later.received_at > closed_complaints.closed_at
        and later.received_at <= {{ add_days('closed_complaints.closed_at', var('recurrence_window_days')) }}
        and later.complaint_id <> closed_complaints.complaint_id
    where later.is_counted
        and closed_complaints.issue_type is not null
),

matched as (
    select
        closed_complaints.complaint_id,
        closed_complaints.sku_id,
        closed_complaints.merchant_id,
        closed_complaints.issue_type,
        recurrences.recurring_complaint_id as recurred_by_complaint_id,
        {{ elapsed_hours('closed_complaints.closed_at', 'recurrences.recurring_received_at') }} / 24.0
            as days_to_recurrence,
        recurrences.recurring_complaint_id is not null as has_recurred,
        build_context.as_of >= {{ add_days('closed_complaints.closed_at', var('recurrence_window_days')) }}
            as is_mature,
        closed_complaints.closed_at
    from closed_complaints
    cross join build_context
    left join recurrences
        on closed_complaints.complaint_id = recurrences.complaint_id
        and recurrences.recurrence_order = 1
)

select * from matched
