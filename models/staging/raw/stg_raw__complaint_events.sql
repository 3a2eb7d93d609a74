with

source as (
    select * from {{ source('raw', 'complaint_events') }}
),

renamed as (
    select
        complaint_id,
        event_type,
        actor,
        note,
        occurred_at,
        _file_id as file_id,
        _row_number as file_row_number,
        _ingested_at as ingested_at
    from source
)

select * from renamed
