with

source as (
    select * from {{ source('meta', 'dq_warnings') }}
),

renamed as (
    select * from source
)

select * from renamed
