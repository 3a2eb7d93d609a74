{#- Complaints with the contract's flags: counted (latest status not withdrawn), confirmed defect,
    orphan order line / SKU / merchant, merchant taken from the SKU when the export left it empty,
    and the order week of the line they name. Incremental by complaint (macros/incremental.sql): a
    daily run redoes the complaints int_complaints_to_redo lists. -#}
{{ config(**incremental_by_complaint()) }}
-- depends_on: {{ ref('int_complaints_to_redo') }}
with

complaints as (
    select * from {{ ref('stg_raw__complaints') }}
    where {{ only_complaints_to_redo('complaint_id') }}
),

orders as (
    select * from {{ ref('stg_raw__orders') }}
),

skus as (
    select * from {{ ref('stg_raw__skus') }}
),

merchants as (
    select * from {{ ref('stg_raw__merchants') }}
),

assumed_cells as (
    select * from {{ ref('int_assumed_cells') }}
    where entity = 'complaints'
),

{#- Which of the values the SLA stages rest on a profile default supplied (not observed). -#}
assumed_columns as (
    select
        complaints.complaint_id,
        bool_or(assumed_cells.column_name = 'received_at') as received_at_is_assumed,
        bool_or(assumed_cells.column_name = 'updated_at') as updated_at_is_assumed,
        bool_or(assumed_cells.column_name = 'status') as status_is_assumed
    from complaints
    inner join assumed_cells
        on complaints.file_id = assumed_cells.file_id
        and (assumed_cells.row_number is null
            or complaints.file_row_number = assumed_cells.row_number)
    group by complaints.complaint_id
),

enriched as (
    select
        complaints.complaint_id,
        complaints.order_id,
        complaints.sku_id,
        coalesce(complaints.merchant_id, skus.merchant_id) as merchant_id,
        orders.buyer_id,
        complaints.buyer_phone_hash,
        complaints.file_id,
        complaints.channel,
        complaints.issue_type,
        complaints.responsibility,
        complaints.remedy,
        complaints.status,
        complaints.description,
        complaints.buyer_phone_masked,
        complaints.refund_amount,
        complaints.compensation_amount,
        complaints.satisfaction,
        complaints.evidence_count,
        not complaints.is_withdrawn as is_counted,
        complaints.is_withdrawn,
        coalesce(
            not complaints.is_withdrawn
            and {{ is_defect_issue('complaints.issue_type') }}
            and complaints.responsibility = 'merchant',
            false
        ) as is_confirmed_defect,
        orders.order_id is null as is_orphan_order,
        skus.sku_id is null as is_orphan_sku,
        merchants.merchant_id is null as is_orphan_merchant,
        complaints.received_week,
        {{ local_week('orders.ordered_at') }} as order_week,
        orders.delivered_at,
        orders.paid_amount,
        complaints.received_at,
        complaints.updated_at,
        coalesce(assumed_columns.received_at_is_assumed, false) as received_at_is_assumed,
        coalesce(assumed_columns.updated_at_is_assumed, false) as updated_at_is_assumed,
        coalesce(assumed_columns.status_is_assumed, false) as status_is_assumed
    from complaints
    left join assumed_columns
        on complaints.complaint_id = assumed_columns.complaint_id
    left join orders
        on complaints.order_id = orders.order_id
        and complaints.sku_id = orders.sku_id
    left join skus
        on complaints.sku_id = skus.sku_id
    left join merchants
        on coalesce(complaints.merchant_id, skus.merchant_id) = merchants.merchant_id
)

select * from enriched
