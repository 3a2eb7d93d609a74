{#- Grades and category ranks of merchants on the mature grading windows (one row per merchant and
    window end week; the latest window is the build's current judgment). Ranked by the
    empirical-Bayes shrunk defect rate under the window's category prior; graded on the window's own
    defect rate. Merchants under the minimum volume are listed as insufficient_volume: no grade, no
    rank, no percentile. -#}
with

windows as (
    select * from {{ ref('int_merchant_mature_windows') }}
),

priors as (
    select * from {{ ref('int_grade_priors_fitted') }}
),

shrunk as (
    {{ shrunk_by_category_prior('windows', 'priors') }}
),

ranked as (
    select
        *,
        {{ category_rank_columns('merchant_id') }},
        case when has_min_volume then
            median(defect_lines * 1.0 / order_lines) over (
                partition by window_end_week, category, has_min_volume
            )
        end as category_median_defect_rate
    from shrunk
),

final as (
    select
        merchant_id,
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
        case when has_min_volume then 'graded' else 'insufficient_volume' end as grade_status,
        case when has_min_volume then {{ grade_of('defect_lines * 1.0 / order_lines') }} end as grade,
        category_rank,
        n_ranked_in_category,
        category_median_defect_rate
    from ranked
)

select * from final
