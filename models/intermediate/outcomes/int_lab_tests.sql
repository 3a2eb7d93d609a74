{#- One row per lab test requested on a counted complaint: when it was requested, when its result
    came (the first lab_test_completed at or after the request and before the next request of the
    same complaint), the turnaround in calendar hours and in working hours (China's working days
    and var "working_hours", the calendar the working-time SLAs use), and the outcome: the
    complaint's classification after the test (defect_confirmed = the contract's confirmed defect,
    not_confirmed = classified otherwise, unclassified = no issue type yet), awaiting_result while
    no result has come. -#}
with

complaints as (
    select * from {{ ref('int_complaints_enriched') }}
),

skus as (
    select * from {{ ref('stg_raw__skus') }}
),

complaint_events as (
    select * from {{ ref('stg_raw__complaint_events') }}
),

working_intervals as (
    select * from {{ ref('int_working_intervals') }}
),

{{ request_pair_ctes(
    'complaint_events', 'lab_test_requested', 'lab_test_completed', 'completed_at'
) }},

{#- Working time between two instants: W(completed) - W(requested), W = working microseconds
    before an instant on the calendar (macros/time.sql, working_position). -#}
requested_positions as (
    select
        paired.*,
        {{ working_position('paired.requested_at', 'working_intervals') }} as requested_position_us
    from paired
    {{ asof_left_join(
        'working_intervals', 'paired.requested_at', '>=', 'work_start_at', 'next_work_start_at'
    ) }}
),

positioned as (
    select
        requested_positions.*,
        {{ working_position('requested_positions.completed_at', 'working_intervals') }}
            as completed_position_us
    from requested_positions
    {{ asof_left_join(
        'working_intervals', 'requested_positions.completed_at', '>=', 'work_start_at',
        'next_work_start_at'
    ) }}
),

final as (
    select
        positioned.complaint_id,
        positioned.request_number,
        complaints.merchant_id,
        complaints.sku_id,
        coalesce(skus.category_l1, 'unknown') as category_l1,
        complaints.channel,
        complaints.issue_type,
        complaints.responsibility,
        complaints.received_week,
        positioned.requested_at,
        positioned.completed_at,
        positioned.completed_at is not null as is_completed,
        case when positioned.completed_at is not null
            then {{ elapsed_hours('positioned.requested_at', 'positioned.completed_at') }}
        end as turnaround_hours,
        (positioned.completed_position_us - positioned.requested_position_us) / 3600000000.0
            as turnaround_working_hours,
        case
            when positioned.completed_at is null then 'awaiting_result'
            when complaints.issue_type is null then 'unclassified'
            when complaints.is_confirmed_defect then 'defect_confirmed'
            else 'not_confirmed'
        end as outcome
    from positioned
    inner join complaints
        on positioned.complaint_id = complaints.complaint_id
    left join skus
        on complaints.sku_id = skus.sku_id
    where complaints.is_counted
)

select * from final
