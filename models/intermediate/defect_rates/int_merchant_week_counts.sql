{#- Order, complaint and defect lines per merchant (of the order line) and order week: what the
    weekly merchant rates aggregate, kept incrementally by order week (macros/incremental.sql). -#}
{{ config(**incremental_by_order_week()) }}
-- depends_on: {{ ref('int_order_weeks_to_redo') }}
with

order_lines as (
    select * from {{ ref('int_order_lines_flagged') }}
),

per_week as (
    select
        merchant_id,
        order_week,
        count(*) as order_lines,
        count(case when has_counted_complaint then 1 end) as complaint_lines,
        count(case when has_confirmed_defect then 1 end) as defect_lines
    from order_lines
    where {{ only_weeks_to_redo('order_week') }}
    group by merchant_id, order_week
)

select * from per_week
