{#- Defect and complaint rates per SKU and order week with Wilson intervals and maturity. Kept by
    SKU and order week on DuckDB (macros/incremental.sql, only_sku_rows_to_redo). -#}
{{ config(**incremental_by_sku_rows('only_sku_rows_to_redo()')) }}
-- depends_on: {{ ref('int_sku_weeks_to_redo') }}
-- depends_on: {{ ref('int_skus_to_redo') }}
with

sku_weeks_aggregated as (
    select * from {{ ref('int_sku_weeks_aggregated') }}
),

skus as (
    select * from {{ ref('stg_raw__skus') }}
),

merchants as (
    select * from {{ ref('stg_raw__merchants') }}
),

sku_weeks as (
    select * from sku_weeks_aggregated
    where {{ only_sku_rows_to_redo() }}
),

final as (
    select
        sku_weeks.sku_id,
        sku_weeks.merchant_id,
        skus.sku_name,
        coalesce(merchants.merchant_name, sku_weeks.merchant_id)
            as merchant_name,
        merchants.category,
        skus.category_l1,
        {{ iso_week_label('sku_weeks.order_week') }} as iso_week,
        sku_weeks.order_lines,
        sku_weeks.complaint_lines,
        sku_weeks.defect_lines,
        {{ rate_with_interval('sku_weeks.complaint_lines', 'sku_weeks.order_lines', 'complaint_rate') }},
        {{ rate_with_interval('sku_weeks.defect_lines', 'sku_weeks.order_lines', 'defect_rate') }},
        sku_weeks.is_mature,
        sku_weeks.order_week
    from sku_weeks
    left join skus
        on sku_weeks.sku_id = skus.sku_id
    left join merchants
        on sku_weeks.merchant_id = merchants.merchant_id
)

select * from final
