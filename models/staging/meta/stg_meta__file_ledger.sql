with

source as (
    select * from {{ source('meta', 'file_ledger') }}
),

renamed as (
    select * from source
)

select * from renamed
