{#- Counted complaints without an issue type, grouped by what their descriptions say, so an agent
    can classify a group at once. -#}
with

groups as (
    select * from {{ ref('stg_meta__unclassified_groups') }}
),

complaints as (
    select * from {{ ref('int_complaints_enriched') }}
),

merchants as (
    select * from {{ ref('stg_raw__merchants') }}
),

final as (
    select
        groups.group_id,
        groups.group_terms,
        groups.group_size,
        complaints.complaint_id,
        complaints.sku_id,
        complaints.merchant_id,
        merchants.category,
        complaints.description,
        complaints.received_week,
        complaints.received_at
    from groups
    inner join complaints
        on groups.complaint_id = complaints.complaint_id
    left join merchants
        on complaints.merchant_id = merchants.merchant_id
    where complaints.issue_type is null
        and complaints.is_counted
)

select * from final
