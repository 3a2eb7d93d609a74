-- What resolving complaints cost: refunds and compensation of counted complaints per merchant x
-- SKU category x received week x responsibility (who bears it: the merchant, logistics, the
-- platform, the buyer or undetermined). Re-aggregates by summing.
{{ config(**incremental_by_received_week()) }}
-- depends_on: {{ ref('int_received_weeks_to_redo') }}
with

complaints as (
    select * from {{ ref('complaints') }}
    where {{ only_received_weeks_to_redo('received_week') }}
),

costed as (
    select
        merchant_id,
        any_value(merchant_name) as merchant_name,
        coalesce(category_l1, 'unknown') as category_l1,
        received_week,
        coalesce(responsibility, 'undetermined') as borne_by,
        count(*) as n_complaints,
        count(case when coalesce(refund_amount, 0) + coalesce(compensation_amount, 0) > 0 then 1 end)
            as n_paid,
        coalesce(sum(refund_amount), 0) as refund_amount,
        coalesce(sum(compensation_amount), 0) as compensation_amount
    from complaints
    where is_counted
    group by merchant_id, coalesce(category_l1, 'unknown'), received_week,
        coalesce(responsibility, 'undetermined')
),

final as (
    select
        merchant_id,
        merchant_name,
        category_l1,
        borne_by,
        n_complaints,
        n_paid,
        refund_amount,
        compensation_amount,
        refund_amount + compensation_amount as total_cost,
        {{ iso_week_label('received_week') }} as iso_week,
        received_week
    from costed
)

select * from final
