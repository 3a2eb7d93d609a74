{#- Merchant x received week of counted complaints: reopens and repeat buyers. Kept by received
    week on DuckDB: a daily run redoes the weeks int_repeat_buyer_weeks_to_redo lists, reading the
    complaints from repeat_buyer_window_days (and a week) before the first of them. -#}
{%- set read_days = (var('repeat_buyer_window_days') | int) + 7 %}
{{ config(**incremental_by_received_week('int_repeat_buyer_weeks_to_redo')) }}
-- depends_on: {{ ref('int_repeat_buyer_weeks_to_redo') }}
with

complaints as (
    select * from {{ ref('complaints') }}
),

{#- Buyers come from the restricted schema: the mart counts repeat buyers, it names none. -#}
buyers as (
    select * from {{ ref('complaint_buyers') }}
),

counted as (
    select complaints.*, buyers.buyer_id
    from complaints
    left join buyers
        on complaints.complaint_id = buyers.complaint_id
    where complaints.is_counted
        and {{ only_weeks_a_redone_week_reads('complaints.received_week', read_days, 'int_repeat_buyer_weeks_to_redo') }}
),

with_previous as (
    select
        counted.*,
        lag(received_at) over (
            partition by buyer_id, merchant_id
            order by received_at, complaint_id
        ) as previous_received_at
    from counted
),

flagged as (
    select
        *,
        coalesce(
            buyer_id is not null
            and previous_received_at < received_at
            and previous_received_at >= {{ add_days('received_at', '-' ~ var('repeat_buyer_window_days')) }},
            false
        ) as is_repeat_buyer
    from with_previous
),

per_week as (
    select
        merchant_id,
        merchant_name,
        category,
        received_week,
        count(*) as n_counted,
        count(case when reopen_count > 0 then 1 end) as n_reopened,
        cast(sum(reopen_count) as bigint) as reopen_count,
        count(buyer_id) as n_with_buyer,
        -- Without any buyer (complaint-only sources) repeat buyers cannot be told: absent, not 0.
        case
            when count(buyer_id) > 0 then count(case when is_repeat_buyer then 1 end)
        end as n_repeat_buyer_complaints
    from flagged
    where {{ only_received_weeks_to_redo('received_week', 'int_repeat_buyer_weeks_to_redo') }}
    group by merchant_id, merchant_name, category, received_week
),

final as (
    select
        merchant_id,
        merchant_name,
        category,
        n_counted,
        n_reopened,
        reopen_count,
        {{ rate_with_interval('n_reopened', 'n_counted', 'reopen_rate') }},
        n_with_buyer,
        n_repeat_buyer_complaints,
        {{ rate_with_interval('n_repeat_buyer_complaints', 'n_counted', 'repeat_buyer_rate') }},
        received_week
    from per_week
)

select * from final
