{#- Each SKU's order lines over the grading window ending at every mature order week E, as for
    merchants (macros/grading_windows.sql), so SKU ranks never rest on immature weeks either. Kept
    by window end week on DuckDB (macros/incremental.sql, only_sku_window_ends_to_redo). -#}
{{ config(**incremental_by_sku_rows('only_sku_window_ends_to_redo()')) }}
-- depends_on: {{ ref('int_sku_window_ends_to_redo') }}
with

weekly_rates as (
    select * from {{ ref('sku_defect_rates_weekly') }}
),

{{ grading_window_ctes(
    'weekly_rates', 'sku_id', ['merchant_id', 'sku_name', 'merchant_name', 'category'],
    ends_to_redo=ref('int_sku_window_ends_to_redo') if is_incremental() else none
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
