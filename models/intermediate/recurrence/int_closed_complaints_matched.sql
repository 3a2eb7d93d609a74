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

later_complaints as (
    select
        complaint_id,
        sku_id,
        issue_type,
        received_at
    from complaints
    where is_counted
        and issue_type is not null
),

{#- The first recurrence is the earliest later complaint, so it is found by an ASOF join (the
    earliest receipt after closed_at per SKU and issue type) instead of pairing every closed
    complaint with every later one in its window, which grows with the square of a busy SKU's
    complaints. Ties on that instant go to the smallest complaint_id. -#}
first_receipts as (
    select
        closed_complaints.complaint_id,
        closed_complaints.sku_id,
        closed_complaints.issue_type,
        closed_complaints.closed_at,
        later.received_at as first_received_at
    from closed_complaints
    asof inner join later_complaints as later
        on closed_complaints.sku_id = later.sku_id
        and closed_complaints.issue_type = later.issue_type
        and closed_complaints.closed_at < later.received_at
    where closed_complaints.issue_type is not null
        and later.received_at <= {{ add_days('closed_complaints.closed_at', var('recurrence_window_days')) }}
),

first_recurrences as (
    select
        first_receipts.complaint_id,
        min(later.complaint_id) as recurring_complaint_id,
        any_value(first_receipts.first_received_at) as recurring_received_at
    from first_receipts
    inner join later_complaints as later
        on first_receipts.sku_id = later.sku_id
        and first_receipts.issue_type = later.issue_type
        and first_receipts.first_received_at = later.received_at
        and later.complaint_id <> first_receipts.complaint_id
    group by first_receipts.complaint_id
),

{#- Rare: the earliest later receipt was the closed complaint itself (received after its own
    close in the data); those few are searched over their whole window. -#}
unmatched_first_receipts as materialized (
    select first_receipts.*
    from first_receipts
    left join first_recurrences
        on first_receipts.complaint_id = first_recurrences.complaint_id
    where first_recurrences.complaint_id is null
),

searched_in_window as (
    select
        unmatched.complaint_id,
        later.complaint_id as recurring_complaint_id,
        later.received_at as recurring_received_at
    from unmatched_first_receipts as unmatched
    inner join later_complaints as later
        on unmatched.sku_id = later.sku_id
        and unmatched.issue_type = later.issue_type
        and later.received_at > unmatched.closed_at
        and later.received_at <= {{ add_days('unmatched.closed_at', var('recurrence_window_days')) }}
        and later.complaint_id <> unmatched.complaint_id
    qualify row_number() over (
        partition by unmatched.complaint_id
        order by later.received_at, later.complaint_id
    ) = 1
),

recurrences as (
    select * from first_recurrences
    union all
    select * from searched_in_window
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
)

select * from matched
