{#- One row per complaint and term its description mentions (terms from flows/text, joined on the
    description's md5), with what the term marts group by. Incremental by complaint
    (macros/incremental.sql): a daily run redoes the complaints int_complaints_to_redo lists. A
    description's terms change only with the segmenter, whose version is in the build's
    fingerprint (a new one makes the next build full). -#}
{{ config(**incremental_by_complaint('int_complaints_to_redo')) }}
-- depends_on: {{ ref('int_complaints_to_redo') }}
with

complaints as (
    select * from {{ ref('int_complaints_enriched') }}
    where {{ only_complaints_to_redo('complaint_id') }}
),

terms as (
    select * from {{ ref('stg_meta__description_terms') }}
),

merchants as (
    select * from {{ ref('stg_raw__merchants') }}
),

skus as (
    select * from {{ ref('stg_raw__skus') }}
),

final as (
    select
        complaints.complaint_id,
        terms.term,
        terms.term_position,
        complaints.sku_id,
        skus.sku_name,
        complaints.merchant_id,
        merchants.merchant_name,
        merchants.category,
        complaints.issue_type,
        complaints.is_counted,
        complaints.received_week,
        complaints.received_at
    from complaints
    inner join terms
        on md5(complaints.description) = terms.description_hash
    left join merchants
        on complaints.merchant_id = merchants.merchant_id
    left join skus
        on complaints.sku_id = skus.sku_id
)

select * from final
