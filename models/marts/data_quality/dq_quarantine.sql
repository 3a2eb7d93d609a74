with

quarantine as (
    select * from {{ ref('stg_meta__quarantine') }}
),

final as (
    select * from quarantine
)

select * from final
