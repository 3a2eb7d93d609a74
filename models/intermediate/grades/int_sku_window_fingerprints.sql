{#- Each SKU grading window's fingerprint: whether its rows changed since the SKU priors were
    fitted (macros/prior_refits.sql). -#}
with

windows as (
    select * from {{ ref('int_sku_mature_windows') }}
),

final as (
    {{ grading_window_fingerprints('windows', 'sku_id') }}
)

select * from final
