with

file_ledger as (
    select * from {{ ref('stg_meta__file_ledger') }}
),

final as (
    select * from file_ledger
)

select * from final
