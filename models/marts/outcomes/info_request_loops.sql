-- Information-request loops per channel (and 'all'): how many counted complaints needed
-- information from the buyer, how many requests each took, how fast buyers answered (calendar
-- hours, median and 90th percentile of answered requests) and the share of requests never
-- answered among those settled (answered or never answered; rules: int_info_request_loops).
-- One row per channel, plus channel = 'all'.
with

complaints as (
    select * from {{ ref('complaints') }}
),

loops as (
    select * from {{ ref('int_info_request_loops') }}
),

complaint_counts as (
    select
        case when grouping(channel) = 1 then 'all' else channel end as channel,
        count(*) as n_complaints
    from complaints
    where is_counted
    group by grouping sets ((channel), ())
),

per_complaint as (
    select complaint_id, channel, count(*) as n_requests
    from loops
    group by complaint_id, channel
),

asked_counts as (
    select
        case when grouping(channel) = 1 then 'all' else channel end as channel,
        count(*) as n_asked,
        count(case when n_requests >= 2 then 1 end) as n_asked_repeatedly,
        max(n_requests) as max_requests
    from per_complaint
    group by grouping sets ((channel), ())
),

request_counts as (
    select
        case when grouping(channel) = 1 then 'all' else channel end as channel,
        count(*) as n_requests,
        count(case when answer_state = 'answered' then 1 end) as n_answered,
        count(case when answer_state = 'never_answered' then 1 end) as n_never_answered,
        count(case when answer_state = 'awaiting' then 1 end) as n_awaiting,
        {{ quantile_cont("response_hours", 0.5) }} as response_hours_median,
        {{ quantile_cont("response_hours", 0.9) }} as response_hours_p90
    from loops
    group by grouping sets ((channel), ())
),

joined as (
    select
        complaint_counts.channel,
        complaint_counts.n_complaints,
        coalesce(asked_counts.n_asked, 0) as n_asked,
        coalesce(asked_counts.n_asked_repeatedly, 0) as n_asked_repeatedly,
        asked_counts.max_requests,
        coalesce(request_counts.n_requests, 0) as n_requests,
        coalesce(request_counts.n_answered, 0) as n_answered,
        coalesce(request_counts.n_never_answered, 0) as n_never_answered,
        coalesce(request_counts.n_awaiting, 0) as n_awaiting,
        request_counts.response_hours_median,
        request_counts.response_hours_p90
    from complaint_counts
    left join asked_counts
        on complaint_counts.channel = asked_counts.channel
    left join request_counts
        on complaint_counts.channel = request_counts.channel
),

final as (
    select
        channel,
        n_complaints,
        n_asked,
        {{ rate_with_interval('n_asked', 'n_complaints', 'asked_rate') }},
        n_requests,
        case when n_asked > 0 then n_requests * 1.0 / n_asked end as requests_per_asked,
        n_asked_repeatedly,
        max_requests,
        n_answered,
        n_never_answered,
        n_awaiting,
        {{ rate_with_interval('n_never_answered', 'n_answered + n_never_answered',
            'never_answered_share') }},
        response_hours_median,
        response_hours_p90
    from joined
)

select * from final
