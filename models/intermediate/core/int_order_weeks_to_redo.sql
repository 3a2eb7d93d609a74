{#- The order weeks an incremental build redoes (data contract, late-arriving rows): the weeks of
    order lines loaded since the last build, the week an order re-delivered with another order time
    counted in before, and the order weeks of the lines named by complaints whose state was loaded
    (or replaced) since. Maturity and masters are not here: the models that show them read the
    week counts whole. Empty on a full build (no incremental_since). -#}
with

orders as {{ inlined() }} (
    select * from {{ ref('stg_raw__orders') }}
),

complaints as (
    select * from {{ ref('stg_raw__complaints') }}
),

replaced_rows as {{ inlined() }} (
    select * from {{ ref('stg_meta__replaced_rows') }}
),

new_order_weeks as (
    select order_week
    from orders
    where ingested_at > {{ incremental_since() }}
),

replaced_order_weeks as (
    select {{ local_week('ordered_at') }} as order_week
    from replaced_rows
    where entity = 'orders'
        and replaced_at > {{ incremental_since() }}
),

changed_complaint_lines as (
    select order_id, sku_id
    from complaints
    where ingested_at > {{ incremental_since() }}
    union
    select order_id, sku_id
    from replaced_rows
    where entity = 'complaints'
        and replaced_at > {{ incremental_since() }}
),

complaint_order_weeks as (
    select orders.order_week
    from orders
    inner join changed_complaint_lines
        on orders.order_id = changed_complaint_lines.order_id
        and orders.sku_id = changed_complaint_lines.sku_id
),

weeks as (
    select order_week from new_order_weeks
    union
    select order_week from replaced_order_weeks
    union
    select order_week from complaint_order_weeks
)

select order_week from weeks
