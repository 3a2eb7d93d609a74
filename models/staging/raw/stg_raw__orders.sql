with

source as (
    select * from {{ source('raw', 'orders') }}
),

renamed as (
    select
        order_id,
        sku_id,
        merchant_id,
        buyer_id,
        province,
        carrier,
        quantity,
        paid_amount,
        {{ local_date('ordered_at') }} as ordered_date,
        {{ local_week('ordered_at') }} as order_week,
        ordered_at,
        shipped_at,
        delivered_at,
        _file_id as file_id,
        _ingested_at as ingested_at
    from source
)

select * from renamed
