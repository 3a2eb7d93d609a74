{#- The SKUs whose rows an incremental build redoes in every week (docs/incremental.md).
    has_new_master: the SKU's master row, or its merchant's, was loaded since the last build (the
    SKU-week rows carry its merchant, names and category). Without it: one of the SKU's rows in a
    week to redo that is mature now or was at the last build is new, gone or changed (lines,
    defects, maturity), so its control-chart baseline (fitted on its mature weeks) may have moved.
    Rows before are read from int_sku_weeks_aggregated before this build redoes it. Empty on a
    full build. -#}
{%- set weeks_before = previous_version_of('int_sku_weeks_aggregated') %}
with

sku_week_counts as (
    select * from {{ ref('int_sku_week_counts') }}
),

skus as (
    select * from {{ ref('stg_raw__skus') }}
),

merchants as (
    select * from {{ ref('stg_raw__merchants') }}
),

weeks_to_redo as (
    select * from {{ ref('int_sku_weeks_to_redo') }}
),

build_context as (
    select * from {{ ref('int_build_context') }}
),

new_masters as (
    select sku_week_counts.sku_id
    from sku_week_counts
    left join skus
        on sku_week_counts.sku_id = skus.sku_id
    left join merchants
        on coalesce(skus.merchant_id, sku_week_counts.order_merchant_id) = merchants.merchant_id
    where skus.ingested_at > {{ incremental_since() }}
        or merchants.ingested_at > {{ incremental_since() }}
),

{#- A SKU's baseline is fitted on its mature weeks' lines and defects: it can move only where
    one of those rows changed (new, gone, other counts, or matured). -#}
rows_now as (
    select
        sku_week_counts.sku_id,
        sku_week_counts.order_week,
        sku_week_counts.order_lines,
        sku_week_counts.defect_lines,
        {{ is_week_mature('sku_week_counts.order_week', 'build_context.as_of') }} as is_mature
    from sku_week_counts
    inner join weeks_to_redo
        on sku_week_counts.order_week = weeks_to_redo.order_week
    cross join build_context
),

{%- if weeks_before %}

rows_before as (
    select
        weeks_before.sku_id,
        weeks_before.order_week,
        weeks_before.order_lines,
        weeks_before.defect_lines,
        weeks_before.is_mature
    from {{ weeks_before }} as weeks_before
    inner join weeks_to_redo
        on weeks_before.order_week = weeks_to_redo.order_week
),

changed_mature_rows as (
    select coalesce(rows_now.sku_id, rows_before.sku_id) as sku_id
    from rows_now
    full outer join rows_before
        on rows_now.sku_id = rows_before.sku_id
        and rows_now.order_week = rows_before.order_week
    where (coalesce(rows_now.is_mature, false) or coalesce(rows_before.is_mature, false))
        and (
            rows_now.sku_id is null
            or rows_before.sku_id is null
            or rows_now.order_lines <> rows_before.order_lines
            or rows_now.defect_lines <> rows_before.defect_lines
            or rows_now.is_mature <> rows_before.is_mature
        )
),
{%- else %}

changed_mature_rows as (
    select sku_id
    from rows_now
    where is_mature
),
{%- endif %}

listed as (
    select sku_id, true as has_new_master from new_masters
    union all
    select sku_id, false as has_new_master from changed_mature_rows
),

final as (
    select
        sku_id,
        bool_or(has_new_master) as has_new_master
    from listed
    group by sku_id
)

select * from final
