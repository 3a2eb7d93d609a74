{#- Each SKU's in-control baseline for its p-chart, chosen so that spikes do not inflate their own
    limits: start from the SKU's mature weeks, drop the weeks above the pooled rate + k sigma,
    refit once more and drop again (Phase I "revised limits"). The baseline is what remains.
    Laney's sigma_z is the average moving range of the baseline weeks' z-scores / 1.128; a chart
    is over-dispersed (Laney p') when sigma_z > 1. -#}
with

weekly as (
    select * from {{ ref('int_sku_weeks_aggregated') }}
),

mature_weeks as (
    select sku_id, order_week, order_lines, defect_lines, defect_rate
    from weekly
    where is_mature and order_lines > 0
),

first_fit as (
    select sku_id, sum(defect_lines) * 1.0 / sum(order_lines) as center
    from mature_weeks
    group by sku_id
),

first_pass as (
    select mature_weeks.*
    from mature_weeks
    inner join first_fit
        on mature_weeks.sku_id = first_fit.sku_id
    where first_fit.center <= 0
        or mature_weeks.defect_rate
            <= first_fit.center + {{ var('spc_sigma') }}
            * sqrt(first_fit.center * (1.0 - first_fit.center) / mature_weeks.order_lines)
),

second_fit as (
    select sku_id, sum(defect_lines) * 1.0 / sum(order_lines) as center
    from first_pass
    group by sku_id
),

baseline_weeks as (
    select
        mature_weeks.*,
        second_fit.center
    from mature_weeks
    inner join second_fit
        on mature_weeks.sku_id = second_fit.sku_id
    where second_fit.center <= 0
        or mature_weeks.defect_rate
            <= second_fit.center + {{ var('spc_sigma') }}
            * sqrt(second_fit.center * (1.0 - second_fit.center) / mature_weeks.order_lines)
),

baseline_z as (
    select
        sku_id,
        order_week,
        case when center > 0 and center < 1
            then (defect_rate - center) / sqrt(center * (1.0 - center) / order_lines)
        end as z_score
    from baseline_weeks
),

moving_ranges as (
    select
        sku_id,
        abs(z_score - lag(z_score) over (partition by sku_id order by order_week)) as moving_range
    from baseline_z
),

dispersion as (
    select sku_id, avg(moving_range) / 1.128 as sigma_z_raw
    from moving_ranges
    group by sku_id
),

baselines as (
    select
        baseline_weeks.sku_id,
        count(*) as n_baseline_weeks,
        sum(baseline_weeks.order_lines) as baseline_order_lines,
        sum(baseline_weeks.defect_lines) as baseline_defect_lines,
        max(dispersion.sigma_z_raw) as sigma_z_raw,
        max(baseline_weeks.center) as screening_center
    from baseline_weeks
    left join dispersion
        on baseline_weeks.sku_id = dispersion.sku_id
    group by baseline_weeks.sku_id
),

final as (
    select
        sku_id,
        screening_center,
        cast(n_baseline_weeks as integer) as n_baseline_weeks,
        cast(baseline_order_lines as bigint) as baseline_order_lines,
        cast(baseline_defect_lines as bigint) as baseline_defect_lines,
        case when sigma_z_raw > 1 then sigma_z_raw else 1.0 end as sigma_z,
        case when sigma_z_raw > 1 then 'laney_p_prime' else 'p' end as chart_type
    from baselines
)

select * from final
