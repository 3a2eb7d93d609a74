{#- Order, complaint and defect lines per SKU and order week, nothing else (no master data, no
    maturity): the part of the SKU-week rates that depends on the order lines alone, so it is kept
    incrementally by order week (macros/incremental.sql). -#}
{{ config(**incremental_by_order_week()) }}
-- depends_on: {{ ref('int_order_weeks_to_redo') }}
with

order_lines as (
    select * from {{ ref('int_order_lines_flagged') }}
),

per_week as (
    select
        sku_id,
        order_week,
        min(merchant_id) as order_merchant_id,
        count(*) as order_lines,
        count(case when has_counted_complaint then 1 end) as complaint_lines,
        count(case when has_confirmed_defect then 1 end) as defect_lines
    from order_lines
    where {{ only_weeks_to_redo('order_week') }}
    group by sku_id, order_week
)

select * from per_week
