{#- One row per information request (info_requested event) on a counted complaint: which loop of
    the complaint it is, the buyer's answer (the first info_received at or after the request and
    before the next request), the buyer's response time in calendar hours (buyers answer in their
    own time, so no working calendar), and the loop's state: answered; never_answered when a
    later request followed without an answer or the complaint was closed without one; awaiting
    while the complaint is still open and this is its last request. -#}
with

complaints as (
    select * from {{ ref('int_complaints_enriched') }}
),

complaint_events as (
    select * from {{ ref('stg_raw__complaint_events') }}
),

{{ request_pair_ctes('complaint_events', 'info_requested', 'info_received', 'answered_at') }},

final as (
    select
        paired.complaint_id,
        paired.request_number,
        complaints.merchant_id,
        complaints.channel,
        complaints.issue_type,
        complaints.received_week,
        paired.requested_at,
        paired.answered_at,
        case when paired.answered_at is not null
            then {{ elapsed_hours('paired.requested_at', 'paired.answered_at') }}
        end as response_hours,
        case
            when paired.answered_at is not null then 'answered'
            when paired.next_requested_at is not null
                or complaints.status = 'closed' then 'never_answered'
            else 'awaiting'
        end as answer_state
    from paired
    inner join complaints
        on paired.complaint_id = complaints.complaint_id
    where complaints.is_counted
)

select * from final
