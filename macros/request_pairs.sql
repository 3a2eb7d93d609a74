{#- The CTEs requests, answers and paired over the complaint-events CTE ``events``: every
    ``requested`` event of a complaint (its number among the complaint's requests and the time of
    the next one), paired with the first ``answered`` event at or after it and before the next
    request, as ``answered_at`` (null while none came). Written once for the information-request
    loops and the lab tests (int_info_request_loops, int_lab_tests), so both pair the same way. -#}
{% macro request_pair_ctes(events, requested, answered, answered_at) -%}
requests as (
    select
        complaint_id,
        occurred_at as requested_at,
        row_number() over (partition by complaint_id order by occurred_at) as request_number,
        lead(occurred_at) over (partition by complaint_id order by occurred_at)
            as next_requested_at
    from {{ events }}
    where event_type = '{{ requested }}'
),

answers as (
    select complaint_id, occurred_at as {{ answered_at }}
    from {{ events }}
    where event_type = '{{ answered }}'
),

paired as (
    select
        requests.complaint_id,
        requests.request_number,
        requests.requested_at,
        requests.next_requested_at,
        min(answers.{{ answered_at }}) as {{ answered_at }}
    from requests
    left join answers
        on requests.complaint_id = answers.complaint_id
        and answers.{{ answered_at }} >= requests.requested_at
        and (requests.next_requested_at is null
            or answers.{{ answered_at }} < requests.next_requested_at)
    group by requests.complaint_id, requests.request_number, requests.requested_at,
        requests.next_requested_at
)
{%- endmacro %}
