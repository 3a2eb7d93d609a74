with

build_context as (
    select * from {{ ref('int_build_context') }}
),

final as (
    select
        as_of,
        current_timestamp as built_at,
        timezone,
        currency,
        '{{ dbt_version }}' as dbt_version,
        '{{ invocation_id }}' as invocation_id
    from build_context
)

select * from final
