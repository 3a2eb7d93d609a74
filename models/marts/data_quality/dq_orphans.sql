{#- Rows naming something no export contains (data contract, "Orphans"): complaints whose order
    line, SKU or merchant is missing, orders whose SKU or merchant is missing, and events whose
    complaint is not loaded. One row per row and kind of orphan. The order lines are read only for
    the SKUs and merchants missing from the masters, found among those the (incremental) week
    counts name: an anti-join of every order line cost 0.14 s per master at 10M lines. -#}
with

complaints as {{ inlined() }} (
    select * from {{ ref('int_complaints_enriched') }}
),

orders as {{ inlined() }} (
    select * from {{ ref('stg_raw__orders') }}
),

sku_week_counts as (
    select * from {{ ref('int_sku_week_counts') }}
),

merchant_week_counts as (
    select * from {{ ref('int_merchant_week_counts') }}
),

complaint_events as (
    select * from {{ ref('stg_raw__complaint_events') }}
),

skus as (
    select * from {{ ref('stg_raw__skus') }}
),

merchants as (
    select * from {{ ref('stg_raw__merchants') }}
),

file_ledger as (
    select * from {{ ref('stg_meta__file_ledger') }}
),

missing_skus as (
    select distinct sku_week_counts.sku_id
    from sku_week_counts
    left join skus
        on sku_week_counts.sku_id = skus.sku_id
    where skus.sku_id is null
),

missing_merchants as (
    select distinct merchant_week_counts.merchant_id
    from merchant_week_counts
    left join merchants
        on merchant_week_counts.merchant_id = merchants.merchant_id
    where merchants.merchant_id is null
),

orphans as (
    select 'complaints' as entity, complaint_id as key, 'order_line_missing' as orphan_kind, file_id
    from complaints where is_orphan_order
    union all
    select 'complaints' as entity, complaint_id as key, 'sku_missing' as orphan_kind, file_id
    from complaints where is_orphan_sku
    union all
    select 'complaints' as entity, complaint_id as key, 'merchant_missing' as orphan_kind, file_id
    from complaints where is_orphan_merchant
    union all
    select 'orders' as entity, orders.order_id || '/' || orders.sku_id as key, 'sku_missing' as orphan_kind, orders.file_id
    from orders
    where orders.sku_id in (select sku_id from missing_skus)
    union all
    select 'orders' as entity, orders.order_id || '/' || orders.sku_id as key, 'merchant_missing' as orphan_kind, orders.file_id
    from orders
    where orders.merchant_id in (select merchant_id from missing_merchants)
    union all
    select
        'complaint_events' as entity,
        complaint_events.complaint_id || '/' || complaint_events.event_type || '/'
            || {{ instant_key_text('complaint_events.occurred_at') }} as key,
        'complaint_missing' as orphan_kind,
        complaint_events.file_id
    from complaint_events
    left join complaints on complaint_events.complaint_id = complaints.complaint_id
    where complaints.complaint_id is null
),

final as (
    select
        orphans.entity,
        orphans.key,
        orphans.orphan_kind,
        orphans.file_id,
        file_ledger.file_name
    from orphans
    left join file_ledger
        on orphans.file_id = file_ledger.file_id
)

select * from final
