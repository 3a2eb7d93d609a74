{#- The one place the warehouse keeps who complained: the buyer id of the order line and the
    keyed hash of the phone number, per complaint. For the privacy officer (docs/warehouse.md,
    "Restricted schema"); never copied to the analysts' copy, so the SQL console cannot reach it.
    The marts compute buyer-level measures (recurrence, repeat buyers) from it but publish none
    of these keys. Incremental by complaint (macros/incremental.sql): a daily run redoes the
    complaints int_complaints_to_redo lists. -#}
{{ config(**incremental_by_complaint()) }}
-- depends_on: {{ ref('int_complaints_to_redo') }}
with

complaints as (
    select * from {{ ref('int_complaints_enriched') }}
    where {{ only_complaints_to_redo('complaint_id') }}
),

final as (
    select
        complaint_id,
        order_id,
        sku_id,
        buyer_id,
        buyer_phone_hash
    from complaints
)

select * from final
