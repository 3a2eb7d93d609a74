{#- Incremental by complaint (DuckDB), as the matching it names: a daily run redoes
    int_closed_complaints_to_redo (a master row loaded since puts its complaints there). -#}
{{ config(**incremental_by_complaint('int_closed_complaints_to_redo')) }}
-- depends_on: {{ ref('int_closed_complaints_to_redo') }}
with

matched as (
    select * from {{ ref('int_closed_complaints_matched') }}
    where {{ only_complaints_to_redo('complaint_id', 'int_closed_complaints_to_redo') }}
),

complaints as (
    select * from {{ ref('int_complaints_enriched') }}
),

merchants as (
    select * from {{ ref('stg_raw__merchants') }}
),

skus as (
    select * from {{ ref('stg_raw__skus') }}
),

final as (
    select
        matched.complaint_id,
        matched.sku_id,
        matched.merchant_id,
        matched.recurred_by_complaint_id,
        merchants.category,
        matched.issue_type,
        matched.days_to_recurrence,
        matched.has_recurred,
        matched.is_mature,
        {#- An unclassified or buyer-less complaint can never recur: listed, but out of the rate. -#}
        matched.is_mature
            and matched.issue_type is not null
            and matched.buyer_id is not null as is_in_rate,
        matched.closed_at,
        {{ local_week('matched.closed_at') }} as closed_week,
        merchants.merchant_name,
        skus.sku_name,
        complaints.channel,
        {{ is_defect_issue('matched.issue_type') }} as is_defect_issue
    from matched
    left join complaints
        on matched.complaint_id = complaints.complaint_id
    left join merchants
        on matched.merchant_id = merchants.merchant_id
    left join skus
        on matched.sku_id = skus.sku_id
)

select * from final
