with

source as (
    select * from {{ source('raw', 'skus') }}
),

renamed as (
    select
        sku_id,
        merchant_id,
        sku_name,
        category_l1,
        category_l2,
        brand,
        _file_id as file_id,
        _ingested_at as ingested_at
    from source
)

select * from renamed
