with

source as (
    select * from {{ source('raw', 'complaints') }}
),

renamed as (
    select
        complaint_id,
        order_id,
        sku_id,
        merchant_id,
        buyer_phone_hash,
        channel,
        nullif(trim(issue_type), '') as issue_type,
        responsibility,
        remedy,
        status,
        description,
        buyer_phone_masked,
        refund_amount,
        compensation_amount,
        satisfaction,
        evidence_count,
        status = 'withdrawn' as is_withdrawn,
        {{ local_week('received_at') }} as received_week,
        received_at,
        updated_at,
        _file_id as file_id,
        _ingested_at as ingested_at,
        _row_number as file_row_number
    from source
)

select * from renamed
