{#- Each merchant's order lines over the grading window ending at every mature order week E
    (macros/grading_windows.sql). The scorecard of a week W is graded on the window ending at the
    earlier of W and the latest mature week, so a grade never rests on immature weeks (data
    contract, "Grades and rankings judge mature data only"). -#}
with

weekly_rates as (
    select * from {{ ref('merchant_defect_rates_weekly') }}
),

merchants as (
    select * from {{ ref('stg_raw__merchants') }}
),

build_context as (
    select * from {{ ref('int_build_context') }}
),

{{ grading_window_ctes('weekly_rates', 'merchant_id') }},

final as (
    select
        windowed.merchant_id,
        merchants.merchant_name,
        merchants.category,
        {{ grading_window_columns() }}
    from windowed
    cross join bounds
    left join merchants
        on windowed.merchant_id = merchants.merchant_id
)

select * from final
