with

source as (
    select * from {{ source('raw', 'merchants') }}
),

renamed as (
    select
        merchant_id,
        merchant_name,
        category,
        onboarded_on as onboarded_date,
        _file_id as file_id,
        _ingested_at as ingested_at
    from source
)

select * from renamed
