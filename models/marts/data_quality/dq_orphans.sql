{#- Rows naming something no export contains (data contract, "Orphans"): complaints whose order
    line, SKU or merchant is missing, orders whose SKU or merchant is missing, and events whose
    complaint is not loaded. One row per row and kind of orphan. -#}
with

complaints as {{ inlined() }} (
    select * from {{ ref('int_complaints_enriched') }}
),

orders as {{ inlined() }} (
    select * from {{ ref('stg_raw__orders') }}
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
    left join skus on orders.sku_id = skus.sku_id
    where skus.sku_id is null
    union all
    select 'orders' as entity, orders.order_id || '/' || orders.sku_id as key, 'merchant_missing' as orphan_kind, orders.file_id
    from orders
    left join merchants on orders.merchant_id = merchants.merchant_id
    where merchants.merchant_id is null
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
