{#- Every merchant (master or seen in orders/complaints) x every ISO week from the first order or
    complaint week to the week of as_of, so scorecards show quiet weeks too. -#}
with

merchants as (
    select * from {{ ref('stg_raw__merchants') }}
),

orders as (
    select * from {{ ref('stg_raw__orders') }}
),

complaints as (
    select * from {{ ref('int_complaints_enriched') }}
),

build_context as (
    select * from {{ ref('int_build_context') }}
),

known_merchants as (
    select merchant_id from merchants
    union
    select merchant_id from orders
    union
    select merchant_id from complaints where merchant_id is not null
),

{#- The first order week from the earliest order instant: the week is monotonic in the instant,
    so this equals min(order_week) without converting 10M instants to local time. -#}
bounds as (
    select
        least(
            (select {{ local_week('min(ordered_at)') }} from orders),
            (select min(received_week) from complaints)
        ) as first_week,
        {{ local_week('as_of') }} as last_week
    from build_context
),

weeks as (
    {{ week_spine('(select first_week from bounds)', '(select greatest(first_week, last_week) from bounds)') }}
),

spined as (
    select
        known_merchants.merchant_id,
        coalesce(merchants.merchant_name, known_merchants.merchant_id) as merchant_name,
        merchants.category,
        weeks.week_start
    from known_merchants
    cross join weeks
    left join merchants
        on known_merchants.merchant_id = merchants.merchant_id
    where weeks.week_start is not null
)

select * from spined
