with

source as (
    select * from {{ source('meta', 'assumed_values') }}
),

renamed as (
    select
        file_id,
        file_name,
        entity,
        column_name,
        default_value,
        rows_assumed,
        every_row,
        row_numbers,
        recorded_at
    from source
)

select * from renamed
