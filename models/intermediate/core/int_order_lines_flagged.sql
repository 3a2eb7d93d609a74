{#- Every order line with whether it drew a counted complaint / a confirmed defect (cohort
    attribution: a complaint counts against the order line it names, in that line's order week).
    Kept narrow on purpose (no order_id, amounts or buyer): it is the largest table of the build
    and every rate aggregates it, so it holds only what the rates group and filter on. Incremental
    by order week (macros/incremental.sql). -#}
{{ config(**incremental_by_order_week()) }}
-- depends_on: {{ ref('int_order_weeks_to_redo') }}
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
        orders.sku_id,
        orders.merchant_id,
        complaints_per_line.order_id is not null as has_counted_complaint,
        coalesce(complaints_per_line.n_confirmed_defects, 0) > 0 as has_confirmed_defect,
        orders.order_week,
        orders.ordered_at
    from orders
    left join complaints_per_line
        on orders.order_id = complaints_per_line.order_id
        and orders.sku_id = complaints_per_line.sku_id
    where {{ only_weeks_to_redo('orders.order_week', instant='orders.ordered_at') }}
)

select * from flagged
