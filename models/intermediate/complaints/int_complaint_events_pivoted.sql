{#- One row per complaint id seen in the events: the instants of the life-cycle milestones the SLA
    and recurrence metrics need. Resolution is the first remedy_executed (else closed) after the
    last reopened event; each reopened event counts. An event whose occurred_at a profile default
    supplied is assumed: a milestone takes an observed instant when there is one, and is flagged
    <milestone>_is_assumed when only assumed instants show it (the SLA stage is then
    not_observed). Incremental by complaint (macros/incremental.sql): a daily run redoes the
    complaints with a new event. -#}
{{ config(**incremental_by_complaint()) }}
{%- set milestones = [
    'received_event_at', 'acknowledged_at', 'merchant_notified_at', 'merchant_evidence_at',
    'classified_at', 'remedy_executed_at', 'closed_after_last_reopen_at', 'closed_at',
] %}
with

complaint_events as (
    select * from {{ ref('stg_raw__complaint_events') }}
    where {{ only_complaints_with_new_events('complaint_id') }}
),

assumed_cells as (
    select * from {{ ref('int_assumed_cells') }}
    where entity = 'complaint_events' and column_name = 'occurred_at'
),

events_flagged as (
    select
        complaint_events.complaint_id,
        complaint_events.event_type,
        complaint_events.occurred_at,
        exists (
            select 1
            from assumed_cells
            where assumed_cells.file_id = complaint_events.file_id
                and (assumed_cells.row_number is null
                    or assumed_cells.row_number = complaint_events.file_row_number)
        ) as is_assumed
    from complaint_events
),

with_last_reopen as (
    select
        complaint_id,
        event_type,
        occurred_at,
        is_assumed,
        max(case when event_type = 'reopened' then occurred_at end)
            over (partition by complaint_id) as last_reopened_at
    from events_flagged
),

{#- The milestones twice per complaint: from observed and from assumed instants. -#}
pivoted_by_origin as (
    select
        complaint_id,
        is_assumed,
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
        count(case when event_type = 'reopened' then 1 end) as reopen_count
    from with_last_reopen
    group by complaint_id, is_assumed
),

pivoted as (
    select
        complaint_id,
        {%- for milestone in milestones %}
        coalesce(
            max({{ milestone }}) filter (where not is_assumed),
            max({{ milestone }}) filter (where is_assumed)
        ) as {{ milestone }},
        {%- endfor %}
        max(last_reopened_at) as last_reopened_at,
        cast(sum(reopen_count) as integer) as reopen_count,
        {%- for milestone in milestones %}
        count({{ milestone }}) filter (where not is_assumed) = 0
            and count({{ milestone }}) filter (where is_assumed) > 0
            as {{ milestone | replace('_at', '') }}_is_assumed{{ ',' if not loop.last }}
        {%- endfor %}
    from pivoted_by_origin
    group by complaint_id
)

select * from pivoted
