{#- Each merchant grading window's fingerprint: whether its rows changed since the priors were
    fitted (macros/prior_refits.sql). -#}
with

windows as (
    select * from {{ ref('int_merchant_mature_windows') }}
),

final as (
    {{ grading_window_fingerprints('windows', 'merchant_id') }}
)

select * from final
