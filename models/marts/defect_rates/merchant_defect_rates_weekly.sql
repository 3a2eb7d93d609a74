with

merchant_week_counts as (
    select * from {{ ref('int_merchant_week_counts') }}
),

merchants as (
    select * from {{ ref('stg_raw__merchants') }}
),

build_context as (
    select * from {{ ref('int_build_context') }}
),

final as (
    select
        per_week.merchant_id,
        coalesce(merchants.merchant_name, per_week.merchant_id) as merchant_name,
        merchants.category,
        {{ iso_week_label('per_week.order_week') }} as iso_week,
        per_week.order_lines,
        per_week.complaint_lines,
        per_week.defect_lines,
        {{ rate_with_interval('per_week.complaint_lines', 'per_week.order_lines', 'complaint_rate') }},
        {{ rate_with_interval('per_week.defect_lines', 'per_week.order_lines', 'defect_rate') }},
        {{ is_week_mature('per_week.order_week', 'build_context.as_of') }} as is_mature,
        per_week.order_week
    from merchant_week_counts as per_week
    cross join build_context
    left join merchants
        on per_week.merchant_id = merchants.merchant_id
)

select * from final
