{#- A p-chart per SKU on the weekly defect proportion. Each week is judged against the SKU's own
    baseline (int_sku_baselines_fitted) minus that week itself, so a spike never widens its own
    limits: center = baseline defects / baseline lines without the week; limits =
    center +/- k * sigma_z * sqrt(center (1 - center) / lines of the week). Only mature weeks with
    enough baseline weeks get limits that can alert. Kept by SKU and order week on DuckDB
    (macros/incremental.sql, only_sku_rows_to_redo). -#}
{{ config(**incremental_by_sku_rows('only_sku_rows_to_redo(with_moved_baselines=true)')) }}
-- depends_on: {{ ref('int_sku_weeks_to_redo') }}
-- depends_on: {{ ref('int_skus_to_redo') }}
with

weekly_rates as (
    select * from {{ ref('sku_defect_rates_weekly') }}
),

baselines as (
    select * from {{ ref('int_sku_baselines_fitted') }}
),

weekly as (
    select * from weekly_rates
    where {{ only_sku_rows_to_redo(with_moved_baselines=true) }}
),

flagged as (
    select
        weekly.*,
        baselines.sigma_z,
        baselines.chart_type,
        baselines.n_baseline_weeks,
        coalesce(
            weekly.is_mature
            and weekly.order_lines > 0
            and (
                baselines.screening_center <= 0
                or weekly.defect_rate <= baselines.screening_center + {{ var('spc_sigma') }}
                * sqrt(baselines.screening_center * (1.0 - baselines.screening_center) / weekly.order_lines)
            ),
            false
        ) as is_baseline,
        baselines.baseline_order_lines,
        baselines.baseline_defect_lines
    from weekly
    left join baselines
        on weekly.sku_id = baselines.sku_id
),

centered as (
    select
        *,
        case
            when n_baseline_weeks - (case when is_baseline then 1 else 0 end) >= {{ var('spc_min_baseline_weeks') }}
                then (baseline_defect_lines - case when is_baseline then defect_lines else 0 end) * 1.0
                    / (baseline_order_lines - case when is_baseline then order_lines else 0 end)
        end as center_line
    from flagged
),

limits as (
    select
        *,
        center_line + {{ var('spc_sigma') }} * sigma_z
            * sqrt(center_line * (1.0 - center_line) / order_lines) as ucl,
        greatest(
            center_line - {{ var('spc_sigma') }} * sigma_z
            * sqrt(center_line * (1.0 - center_line) / order_lines),
            0.0
        ) as lcl
    from centered
),

candidates as (
    select sku_id, order_week, order_lines, defect_lines, center_line
    from limits
    where defect_rate > ucl
        and defect_lines >= {{ var('spc_min_defect_lines') }}
        and center_line > 0
        and center_line < 1
),

candidate_terms as (
    select
        sku_id,
        order_week,
        order_lines,
        center_line,
        {{ integers_below('defect_lines') }} as term_index
    from candidates
),

exact_tails as (
    select
        sku_id,
        order_week,
        greatest(1.0 - sum({{ binomial_lower_terms('defect_lines', 'order_lines', 'center_line') }}), 0.0)
            as tail_probability
    from candidate_terms
    group by sku_id, order_week
),

with_tails as (
    select
        limits.*,
        case
            when limits.center_line = 0 and limits.defect_lines > 0 then 0.0
            else exact_tails.tail_probability
        end as tail_probability
    from limits
    left join exact_tails
        on limits.sku_id = exact_tails.sku_id
        and limits.order_week = exact_tails.order_week
),

final as (
    select
        sku_id,
        merchant_id,
        sku_name,
        merchant_name,
        category,
        iso_week,
        order_lines,
        defect_lines,
        defect_rate,
        center_line,
        ucl,
        lcl,
        coalesce(sigma_z, 1.0) as sigma_z,
        coalesce(chart_type, 'p') as chart_type,
        is_baseline,
        tail_probability,
        coalesce(
            defect_rate > ucl
            and defect_lines >= {{ var('spc_min_defect_lines') }}
            and tail_probability < {{ normal_upper_tail(var('spc_sigma')) }},
            false
        ) as is_above_ucl,
        coalesce(
            (
                defect_rate > ucl
                and defect_lines >= {{ var('spc_min_defect_lines') }}
                and tail_probability < {{ normal_upper_tail(var('spc_sigma')) }}
            )
            or defect_rate < lcl,
            false
        ) as is_out_of_control,
        is_mature,
        order_week
    from with_tails
)

select * from final
