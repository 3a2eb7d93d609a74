{#- The complaints whose own rows changed since the last build (docs/incremental.md): a state or
    an event loaded since, or an order line, a SKU or a merchant (the SKU's, when the complaint
    names none) with a row loaded since. A replaced row is replaced by one loaded since, with the
    same key, so re-deliveries are among them. An incremental build redoes their rows in every
    model kept by complaint. Empty on a full build (no incremental_since).
    received_week_before, buyer_id_before, sku_id_before: the complaint's received week, buyer
    and SKU in the previous build (null for a new complaint), so the weekly aggregates by received
    week also redo the week a complaint left, and the recurrence matching the buyer's SKU it left.
    Read from int_complaints_enriched before this build redoes it (that model runs after this
    one: it reads this list). -#}
{%- set enriched_before = previous_version_of('int_complaints_enriched') %}
with

complaints as (
    select * from {{ ref('stg_raw__complaints') }}
),

orders as (
    select * from {{ ref('stg_raw__orders') }}
),

skus as (
    select * from {{ ref('stg_raw__skus') }}
),

merchants as (
    select * from {{ ref('stg_raw__merchants') }}
),

complaint_events as (
    select * from {{ ref('stg_raw__complaint_events') }}
),

new_states as (
    select complaint_id
    from complaints
    where ingested_at > {{ incremental_since() }}
),

new_events as (
    select complaint_id
    from complaint_events
    where ingested_at > {{ incremental_since() }}
),

new_order_lines as (
    select complaints.complaint_id
    from complaints
    inner join orders
        on complaints.order_id = orders.order_id
        and complaints.sku_id = orders.sku_id
    where orders.ingested_at > {{ incremental_since() }}
),

{#- The SKU's merchant stands in for a complaint that names none, so a SKU row can change both. -#}
new_masters as (
    select complaints.complaint_id
    from complaints
    left join skus
        on complaints.sku_id = skus.sku_id
    left join merchants
        on coalesce(complaints.merchant_id, skus.merchant_id) = merchants.merchant_id
    where skus.ingested_at > {{ incremental_since() }}
        or merchants.ingested_at > {{ incremental_since() }}
),

to_redo as (
    select complaint_id from new_states
    union
    select complaint_id from new_events
    union
    select complaint_id from new_order_lines
    union
    select complaint_id from new_masters
),

final as (
    select
        to_redo.complaint_id,
        {%- if enriched_before %}
        enriched_before.received_week as received_week_before,
        enriched_before.buyer_id as buyer_id_before,
        enriched_before.sku_id as sku_id_before
        {%- else %}
        cast(null as date) as received_week_before,
        cast(null as {{ dbt.type_string() }}) as buyer_id_before,
        cast(null as {{ dbt.type_string() }}) as sku_id_before
        {%- endif %}
    from to_redo
    {%- if enriched_before %}
    left join {{ enriched_before }} as enriched_before
        on to_redo.complaint_id = enriched_before.complaint_id
    {%- endif %}
)

select * from final
