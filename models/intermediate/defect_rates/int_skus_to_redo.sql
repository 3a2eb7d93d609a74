{#- The SKUs whose rows an incremental build redoes in every week (docs/incremental.md).
    has_new_master: the SKU's master row, or its merchant's, was loaded since the last build (the
    SKU-week rows carry its merchant, names and category). Without it: the SKU has rows in a week
    to redo that is mature now or was at the last build, so its control-chart baseline (fitted on
    its mature weeks) may have changed. Rows before are read from int_sku_weeks_aggregated before
    this build redoes it. Empty on a full build. -#}
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

mature_rows_now as (
    select sku_week_counts.sku_id
    from sku_week_counts
    inner join weeks_to_redo
        on sku_week_counts.order_week = weeks_to_redo.order_week
    cross join build_context
    where {{ is_week_mature('sku_week_counts.order_week', 'build_context.as_of') }}
),

{%- if weeks_before %}

mature_rows_before as (
    select weeks_before.sku_id
    from {{ weeks_before }} as weeks_before
    inner join weeks_to_redo
        on weeks_before.order_week = weeks_to_redo.order_week
    where weeks_before.is_mature
),
{%- endif %}

listed as (
    select sku_id, true as has_new_master from new_masters
    union all
    select sku_id, false as has_new_master from mature_rows_now
    {%- if weeks_before %}
    union all
    select sku_id, false as has_new_master from mature_rows_before
    {%- endif %}
),

final as (
    select
        sku_id,
        bool_or(has_new_master) as has_new_master
    from listed
    group by sku_id
)

select * from final
