with

complaint_recurrence as (
    select * from {{ ref('complaint_recurrence') }}
),

merchants as (
    select * from {{ ref('stg_raw__merchants') }}
),

skus as (
    select * from {{ ref('stg_raw__skus') }}
),

in_rate as (
    select * from complaint_recurrence where is_in_rate
),

grouped as (
    select
        'platform' as group_type, 'all' as group_id,
        count(*) as n_closed_in_rate,
        count(case when has_recurred then 1 end) as n_recurred
    from in_rate
    union all
    select
        'category' as group_type, coalesce(category, 'unknown') as group_id,
        count(*) as n_closed_in_rate,
        count(case when has_recurred then 1 end) as n_recurred
    from in_rate
    group by coalesce(category, 'unknown')
    union all
    select
        'merchant' as group_type, merchant_id as group_id,
        count(*) as n_closed_in_rate,
        count(case when has_recurred then 1 end) as n_recurred
    from in_rate
    group by merchant_id
    union all
    select
        'sku' as group_type, sku_id as group_id,
        count(*) as n_closed_in_rate,
        count(case when has_recurred then 1 end) as n_recurred
    from in_rate
    group by sku_id
    union all
    select
        'issue_type' as group_type, issue_type as group_id,
        count(*) as n_closed_in_rate,
        count(case when has_recurred then 1 end) as n_recurred
    from in_rate
    group by issue_type
),

named as (
    select
        grouped.group_type,
        grouped.group_id,
        case grouped.group_type
            when 'platform' then 'All merchants'
            when 'merchant' then coalesce(merchants.merchant_name, grouped.group_id)
            when 'sku' then skus.sku_name
            else grouped.group_id
        end as group_name,
        case grouped.group_type
            when 'merchant' then grouped.group_id
            when 'sku' then skus.merchant_id
        end as merchant_id,
        case grouped.group_type
            when 'category' then grouped.group_id
            when 'merchant' then merchants.category
            when 'sku' then sku_merchants.category
        end as category,
        grouped.n_closed_in_rate,
        grouped.n_recurred
    from grouped
    left join merchants
        on grouped.group_type = 'merchant'
        and grouped.group_id = merchants.merchant_id
    left join skus
        on grouped.group_type = 'sku'
        and grouped.group_id = skus.sku_id
    left join merchants as sku_merchants
        on skus.merchant_id = sku_merchants.merchant_id
),

final as (
    select
        group_type,
        group_id,
        group_name,
        merchant_id,
        category,
        n_closed_in_rate,
        n_recurred,
        {{ rate_with_interval('n_recurred', 'n_closed_in_rate', 'recurrence_rate') }}
    from named
)

select * from final
