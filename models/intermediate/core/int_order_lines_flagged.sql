{#- Every order line with whether it drew a counted complaint / a confirmed defect (cohort
    attribution: a complaint counts against the order line it names, in that line's order week). -#}
with

orders as (
    select * from {{ ref('stg_raw__orders') }}
),

complaints as (
    select * from {{ ref('int_complaints_enriched') }}
),

complaints_per_line as (
    select
        order_id,
        sku_id,
        count(*) as n_counted_complaints,
        count(case when is_confirmed_defect then 1 end) as n_confirmed_defects
    from complaints
    where is_counted
    group by order_id, sku_id
),

flagged as (
    select
        orders.order_id,
        orders.sku_id,
        orders.merchant_id,
        orders.buyer_id,
        orders.quantity,
        orders.paid_amount,
        coalesce(complaints_per_line.n_counted_complaints, 0) as n_counted_complaints,
        coalesce(complaints_per_line.n_confirmed_defects, 0) as n_confirmed_defects,
        coalesce(complaints_per_line.n_counted_complaints, 0) > 0 as has_counted_complaint,
        coalesce(complaints_per_line.n_confirmed_defects, 0) > 0 as has_confirmed_defect,
        orders.ordered_date,
        orders.order_week,
        orders.ordered_at
    from orders
    left join complaints_per_line
        on orders.order_id = complaints_per_line.order_id
        and orders.sku_id = complaints_per_line.sku_id
)

select * from flagged
