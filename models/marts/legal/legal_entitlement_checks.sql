-- One row per closed complaint with a delivered order line: the entitlement, the rule behind it,
-- the remedy given, whether the buyer accepted it, and whether it fell below (rules:
-- int_complaint_entitlements). Incremental by complaint (macros/incremental.sql): a daily run
-- redoes the complaints int_complaints_to_redo lists.
{{ config(**incremental_by_complaint('int_complaints_to_redo')) }}
-- depends_on: {{ ref('int_complaints_to_redo') }}
with

entitlements as (
    select * from {{ ref('int_complaint_entitlements') }}
    where {{ only_complaints_to_redo('complaint_id') }}
),

merchants as (
    select * from {{ ref('stg_raw__merchants') }}
),

final as (
    select
        entitlements.complaint_id,
        entitlements.order_id,
        entitlements.sku_id,
        entitlements.merchant_id,
        merchants.merchant_name,
        merchants.category,
        entitlements.category_l1,
        entitlements.channel,
        entitlements.issue_type,
        entitlements.responsibility,
        entitlements.is_exempt_category,
        entitlements.is_confirmed_defect,
        entitlements.is_counterfeit,
        entitlements.delivered_at,
        entitlements.received_at,
        entitlements.closed_at,
        entitlements.days_since_delivery,
        entitlements.has_entitlement,
        entitlements.remedy_rule,
        entitlements.entitled_remedy,
        entitlements.remedy_given,
        entitlements.is_accepted,
        entitlements.is_accepted_lower,
        entitlements.is_rejected_in_window,
        entitlements.refund_amount,
        entitlements.paid_amount,
        entitlements.required_compensation,
        entitlements.compensation_amount,
        entitlements.compensation_shortfall,
        entitlements.is_remedy_below,
        entitlements.is_compensation_below,
        entitlements.is_below_entitlement,
        entitlements.below_rule,
        {{ iso_week_label('entitlements.received_week') }} as iso_week,
        entitlements.received_week
    from entitlements
    left join merchants
        on entitlements.merchant_id = merchants.merchant_id
)

select * from final
