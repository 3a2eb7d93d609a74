with

dq_warnings as (
    select * from {{ ref('stg_meta__dq_warnings') }}
),

final as (
    select * from dq_warnings
)

select * from final
