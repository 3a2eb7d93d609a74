{#- One row per mature SKU-week above its upper control limit, with the confirmed defects behind it. -#}
with

control_chart as (
    select * from {{ ref('sku_control_chart') }}
),

complaints as (
    select * from {{ ref('int_complaints_enriched') }}
),

alert_weeks as (
    select * from control_chart
    where is_above_ucl and is_mature
),

defects_per_week as (
    select
        sku_id,
        order_week,
        count(*) as n_complaints,
        {{ dbt.listagg('complaint_id', "', '", 'order by complaint_id') }} as complaint_ids
    from complaints
    where is_confirmed_defect
        and order_week is not null
    group by sku_id, order_week
),

final as (
    select
        alert_weeks.*,
        coalesce(defects_per_week.n_complaints, 0) as n_complaints,
        defects_per_week.complaint_ids
    from alert_weeks
    left join defects_per_week
        on alert_weeks.sku_id = defects_per_week.sku_id
        and alert_weeks.order_week = defects_per_week.order_week
)

select * from final
