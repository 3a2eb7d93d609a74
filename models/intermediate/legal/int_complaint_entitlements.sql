{#- One row per closed complaint whose order line was delivered: what the buyer was entitled to by
    law (data contract, "Legal entitlements"), what the merchant gave, and whether it fell short.

    Windows are elapsed time from delivered_at to the complaint's received_at (7 days = 7 x 24 h,
    so exactly 7 days is inside and 7 days + 1 s is not). Entitlements:
      no_reason_return (七日无理由退货): within var legal_no_reason_return_days, category not exempt
          -> return_refund;
      defect_return / defect_exchange / defect_repair (三包): a confirmed defect within
          legal_defect_return_days -> return or exchange, within legal_defect_exchange_days ->
          exchange or repair, later -> repair. The buyer chooses, so the entitlement is the best
          option (a lower one is fine only when the buyer accepted it);
      counterfeit_compensation (假一赔三): a confirmed counterfeit -> compensation of at least
          legal_counterfeit_multiple x paid_amount and at least legal_counterfeit_min_compensation.
    The remedy entitlement is the highest remedy any applicable rule gives (its rule: the defect rule
    before the no-reason one at equal rank). Accepted = a remedy_accepted event after the last
    remedy_proposed (or any, without a proposal). Below entitlement: the remedy ranks lower than the
    entitlement, or the compensation is short, unless accepted; a rejected remedy inside an
    entitlement window (the no-reason window, or a defect within the exchange window) always is.
    Incremental by complaint (macros/incremental.sql): a daily run redoes the complaints
    int_complaints_to_redo lists (a state, event, order line or master loaded since). -#}
{{ config(**incremental_by_complaint('int_complaints_to_redo')) }}
-- depends_on: {{ ref('int_complaints_to_redo') }}
with

{# The named line's delivered_at and paid_amount come with the complaint (null for an orphan, so
    the delivered filter below keeps only complaints whose line was delivered): the order lines
    are scanned once, in int_complaints_enriched. #}
complaints as (
    select * from {{ ref('int_complaints_enriched') }}
    where {{ only_complaints_to_redo('complaint_id') }}
),

skus as (
    select * from {{ ref('stg_raw__skus') }}
),

complaint_events as (
    select * from {{ ref('stg_raw__complaint_events') }}
),

remedy_events as (
    select
        complaint_id,
        max(case when event_type = 'remedy_proposed' then occurred_at end) as last_proposed_at,
        max(case when event_type = 'remedy_accepted' then occurred_at end) as last_accepted_at,
        max(case when event_type = 'closed' then occurred_at end) as closed_at
    from complaint_events
    where event_type in ('remedy_proposed', 'remedy_accepted', 'closed')
        and {{ only_complaints_to_redo('complaint_id') }}
    group by complaint_id
),

closed_delivered as (
    select
        complaints.complaint_id,
        complaints.order_id,
        complaints.sku_id,
        complaints.merchant_id,
        complaints.channel,
        complaints.issue_type,
        complaints.responsibility,
        complaints.is_confirmed_defect,
        complaints.is_confirmed_defect and complaints.issue_type = 'counterfeit' as is_counterfeit,
        complaints.remedy,
        complaints.refund_amount,
        coalesce(complaints.compensation_amount, 0) as compensation_amount,
        complaints.received_at,
        complaints.received_week,
        coalesce(remedy_events.closed_at, complaints.updated_at) as closed_at,
        complaints.delivered_at,
        complaints.paid_amount,
        skus.category_l1,
        coalesce(
            skus.category_l1 in {{ legal_exempt_categories_list() }}
            or skus.category_l2 in {{ legal_exempt_categories_list() }},
            false
        ) as is_exempt_category,
        coalesce(
            remedy_events.last_accepted_at is not null
            and (
                remedy_events.last_proposed_at is null
                or remedy_events.last_accepted_at > remedy_events.last_proposed_at
            ),
            false
        ) as is_accepted
    from complaints
    left join skus
        on complaints.sku_id = skus.sku_id
    left join remedy_events
        on complaints.complaint_id = remedy_events.complaint_id
    where complaints.is_counted
        and complaints.status = 'closed'
        and complaints.delivered_at is not null
),

windows as (
    select
        *,
        ({{ epoch_us('received_at') }} - {{ epoch_us('delivered_at') }}) / 86400000000.0 as days_since_delivery,
        received_at <= {{ add_days('delivered_at', var('legal_no_reason_return_days')) }}
            and not is_exempt_category as in_no_reason_window,
        is_confirmed_defect
            and received_at <= {{ add_days('delivered_at', var('legal_defect_return_days')) }}
            as in_defect_return_window,
        is_confirmed_defect
            and received_at <= {{ add_days('delivered_at', var('legal_defect_exchange_days')) }}
            as in_defect_exchange_window
    from closed_delivered
),

entitled as (
    select
        *,
        case
            when in_defect_return_window then 'defect_return'
            when in_no_reason_window then 'no_reason_return'
            when in_defect_exchange_window then 'defect_exchange'
            when is_confirmed_defect then 'defect_repair'
        end as remedy_rule,
        case
            when in_defect_return_window or in_no_reason_window then 'return_refund'
            when in_defect_exchange_window then 'exchange'
            when is_confirmed_defect then 'repair'
        end as entitled_remedy,
        case when is_counterfeit then
            greatest(
                {{ decimal_literal(var('legal_counterfeit_multiple')) }} * coalesce(paid_amount, 0),
                {{ decimal_literal(var('legal_counterfeit_min_compensation')) }}
            )
        end as required_compensation,
        in_no_reason_window or in_defect_exchange_window as in_entitlement_window
    from windows
),

checked as (
    select
        *,
        entitled_remedy is not null
            and {{ remedy_rank('remedy') }} < {{ remedy_rank('entitled_remedy') }}
            as is_remedy_short,
        coalesce(compensation_amount < required_compensation, false) as is_compensation_short,
        coalesce(remedy = 'rejected', false) and in_entitlement_window as is_rejected_in_window
    from entitled
),

judged as (
    select
        complaint_id,
        order_id,
        sku_id,
        merchant_id,
        channel,
        issue_type,
        responsibility,
        category_l1,
        is_exempt_category,
        is_confirmed_defect,
        is_counterfeit,
        received_at,
        received_week,
        delivered_at,
        closed_at,
        days_since_delivery,
        remedy_rule,
        entitled_remedy,
        coalesce(remedy, 'none') as remedy_given,
        refund_amount,
        paid_amount,
        required_compensation,
        compensation_amount,
        case when is_compensation_short
            then required_compensation - compensation_amount
        end as compensation_shortfall,
        is_accepted,
        is_remedy_short,
        is_compensation_short,
        is_rejected_in_window,
        entitled_remedy is not null or required_compensation is not null as has_entitlement,
        is_rejected_in_window or (is_remedy_short and not is_accepted) as is_remedy_below,
        is_compensation_short and not is_accepted as is_compensation_below,
        (is_remedy_short or is_compensation_short) and is_accepted and not is_rejected_in_window
            as is_accepted_lower
    from checked
),

final as (
    select
        *,
        is_remedy_below or is_compensation_below as is_below_entitlement,
        case
            when is_remedy_below then remedy_rule
            when is_compensation_below then 'counterfeit_compensation'
        end as below_rule
    from judged
)

select * from final
