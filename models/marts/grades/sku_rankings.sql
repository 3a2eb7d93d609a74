{#- Category ranks of SKUs on the mature grading windows (one row per SKU and window end week; the
    latest window is the build's current judgment), by the empirical-Bayes shrunk defect rate
    under the window's category prior fitted over SKUs (int_sku_priors_fitted). SKUs under the
    minimum volume are listed as insufficient_volume: no rank. -#}
with

windows as (
    select * from {{ ref('int_sku_mature_windows') }}
),

priors as (
    select * from {{ ref('int_sku_priors_fitted') }}
),

shrunk as (
    select
        windows.*,
        priors.prior_alpha,
        priors.prior_beta,
        priors.prior_strength,
        priors.prior_source,
        (windows.defect_lines + priors.prior_alpha)
            / (windows.order_lines + priors.prior_alpha + priors.prior_beta) as shrunk_defect_rate
    from windows
    left join priors
        on windows.window_end_week = cast(priors.window_end_week as date)
        and windows.category is not distinct from priors.category
),

ranked as (
    select
        *,
        case when has_min_volume then
            row_number() over (
                partition by window_end_week, category, has_min_volume
                order by shrunk_defect_rate desc, sku_id
            )
        end as category_rank,
        case when has_min_volume then
            count(*) over (partition by window_end_week, category, has_min_volume)
        end as n_ranked_in_category
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
