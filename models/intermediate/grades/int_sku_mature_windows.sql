{#- Each SKU's order lines over the grading window ending at every mature order week E, as for
    merchants (macros/grading_windows.sql), so SKU ranks never rest on immature weeks either. -#}
with

weekly_rates as (
    select * from {{ ref('sku_defect_rates_weekly') }}
),

{{ grading_window_ctes(
    'weekly_rates', 'sku_id', ['merchant_id', 'sku_name', 'merchant_name', 'category']
) }},

final as (
    select
        windowed.sku_id,
        windowed.merchant_id,
        windowed.sku_name,
        windowed.merchant_name,
        windowed.category,
        {{ grading_window_columns() }}
    from windowed
    cross join bounds
)

select * from final
