{#- One row: the build's reference time. Default = the latest complaint update or event loaded
    (the complaint system's export moment), so rebuilding the same data gives the same numbers. -#}
with

complaints as (
    select * from {{ ref('stg_raw__complaints') }}
),

complaint_events as (
    select * from {{ ref('stg_raw__complaint_events') }}
),

latest_loaded as (
    select max(updated_at) as latest_at from complaints
    union all
    select max(occurred_at) as latest_at from complaint_events
),

context as (
    select
        coalesce({{ as_of_override() }}, max(latest_at)) as as_of,
        '{{ var("timezone") }}' as timezone,
        '{{ var("currency", "CNY") }}' as currency
    from latest_loaded
)

select * from context
