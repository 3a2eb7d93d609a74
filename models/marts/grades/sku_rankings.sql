{#- Category ranks of SKUs on the mature grading windows (one row per SKU and window end week; the
    latest window is the build's current judgment), by the empirical-Bayes shrunk defect rate
    under the window's category prior fitted over SKUs (int_sku_priors_fitted). SKUs under the
    minimum volume are listed as insufficient_volume: no rank. Kept by window end week on DuckDB
    (macros/incremental.sql, only_sku_window_ends_to_redo). -#}
{{ config(**incremental_by_sku_rows('only_sku_window_ends_to_redo()')) }}
-- depends_on: {{ ref('int_sku_window_ends_to_redo') }}
with

mature_windows as (
    select * from {{ ref('int_sku_mature_windows') }}
),

priors as (
    select * from {{ ref('int_sku_priors_fitted') }}
),

windows as (
    select * from mature_windows
    where {{ only_sku_window_ends_to_redo() }}
),

shrunk as (
    {{ shrunk_by_category_prior('windows', 'priors') }}
),

ranked as (
    select
        *,
        {{ category_rank_columns('sku_id') }}
    from shrunk
),

final as (
    select
        sku_id,
        merchant_id,
        sku_name,
        merchant_name,
        category,
        window_start_week,
        window_end_week,
        {{ iso_week_label('window_start_week') }} as window_start_iso_week,
        {{ iso_week_label('window_end_week') }} as window_end_iso_week,
        is_latest_window,
        order_lines,
        defect_lines,
        {{ rate_with_interval('defect_lines', 'order_lines', 'defect_rate') }},
        prior_alpha,
        prior_beta,
        prior_strength,
        prior_source,
        shrunk_defect_rate,
        has_min_volume,
        case when has_min_volume then 'ranked' else 'insufficient_volume' end as rank_status,
        category_rank,
        n_ranked_in_category
    from ranked
)

select * from final
