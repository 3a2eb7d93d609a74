{#- Closed complaints (counted, latest status closed; closed time = the last closed event, else the
    complaint's updated_at) with the first counted complaint that recurs each one: the same buyer
    (the buyer_id of the order lines they name), the same SKU, the same non-empty latest issue type,
    received in (closed_at, closed_at + window]. Buyer-level: a recurrence says the remedy did not fix
    this buyer's problem; other buyers' complaints on a busy SKU are the defect rates' business.
    Incremental by complaint (DuckDB): a daily run redoes int_closed_complaints_to_redo. -#}
{{ config(**incremental_by_complaint('int_closed_complaints_to_redo')) }}
-- depends_on: {{ ref('int_closed_complaints_to_redo') }}
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
        complaints.buyer_id,
        complaints.issue_type,
        coalesce(milestones.closed_at, complaints.updated_at) as closed_at
    from complaints
    left join milestones
        on complaints.complaint_id = milestones.complaint_id
    where complaints.is_counted
        and complaints.status = 'closed'
        and {{ only_complaints_to_redo('complaints.complaint_id', 'int_closed_complaints_to_redo') }}
),

later_complaints as (
    select
        complaint_id,
        buyer_id,
        sku_id,
        issue_type,
        received_at
    from complaints
    where is_counted
        and issue_type is not null
        and buyer_id is not null
),

{#- One buyer's complaints on one SKU and issue are few, so the plain window join stays small; the
    first recurrence is the earliest (ties: the smallest complaint_id), never the complaint itself. -#}
recurrences as (
    select
        closed_complaints.complaint_id,
        later.complaint_id as recurring_complaint_id,
        later.received_at as recurring_received_at
    from closed_complaints
    inner join later_complaints as later
        on closed_complaints.buyer_id = later.buyer_id
        and closed_complaints.sku_id = later.sku_id
        and closed_complaints.issue_type = later.issue_type
        and later.received_at > closed_complaints.closed_at
        and later.received_at <= {{ add_days('closed_complaints.closed_at', var('recurrence_window_days')) }}
        and later.complaint_id <> closed_complaints.complaint_id
    qualify row_number() over (
        partition by closed_complaints.complaint_id
        order by later.received_at, later.complaint_id
    ) = 1
),

matched as (
    select
        closed_complaints.complaint_id,
        closed_complaints.sku_id,
        closed_complaints.merchant_id,
        closed_complaints.buyer_id,
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
