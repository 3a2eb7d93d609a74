with

source as (
    select * from {{ source('meta', 'replaced_rows') }}
),

renamed as (
    select
        entity,
        order_id,
        sku_id,
        ordered_at,
        file_id,
        replaced_at
    from source
)

select * from renamed
