with

source as (
    select * from {{ source('meta', 'quarantine') }}
),

renamed as (
    select * from source
)

select * from renamed
