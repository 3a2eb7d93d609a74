with

source as (
    select * from {{ source('meta', 'expectation_results') }}
),

renamed as (
    select * from source
)

select * from renamed
