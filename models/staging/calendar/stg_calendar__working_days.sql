with

source as (
    select * from {{ source('calendar', 'working_days') }}
),

renamed as (
    select
        day,
        is_working_day,
        day_kind,
        holiday_name,
        calendar
    from source
)

select * from renamed
