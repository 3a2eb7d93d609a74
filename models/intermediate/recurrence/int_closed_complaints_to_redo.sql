{#- The closed complaints whose recurrence rows an incremental build redoes (docs/incremental.md):
    a complaint's row rests on its own rows, on the complaints of the same buyer and SKU (one of
    them may be its recurrence) and on as_of (maturity). So: every complaint whose own rows changed,
    every complaint sharing a buyer and SKU with one of those (now, or before the change moved it),
    and every complaint that was not mature at the last build and is now. Empty on a full build. -#}
{%- set matched_before = previous_version_of('int_closed_complaints_matched') %}
with

to_redo as (
    select * from {{ ref('int_complaints_to_redo') }}
),

complaints as (
    select * from {{ ref('int_complaints_enriched') }}
),

build_context as (
    select * from {{ ref('int_build_context') }}
),

changed_groups as (
    select complaints.buyer_id, complaints.sku_id
    from complaints
    inner join to_redo
        on complaints.complaint_id = to_redo.complaint_id
    union
    select buyer_id_before as buyer_id, sku_id_before as sku_id
    from to_redo
),

in_changed_groups as (
    select complaints.complaint_id
    from complaints
    inner join changed_groups
        on complaints.buyer_id = changed_groups.buyer_id
        and complaints.sku_id = changed_groups.sku_id
),

{#- Maturity moves with as_of alone: the rows judged immature last time are judged again. -#}
matured as (
    {%- if matched_before %}
    select matched_before.complaint_id
    from {{ matched_before }} as matched_before
    cross join build_context
    where not matched_before.is_mature
        and build_context.as_of >= {{ add_days('matched_before.closed_at', var('recurrence_window_days')) }}
    {%- else %}
    select complaint_id from to_redo where false
    {%- endif %}
),

closed_to_redo as (
    select complaint_id from to_redo
    union
    select complaint_id from in_changed_groups
    union
    select complaint_id from matured
)

select complaint_id from closed_to_redo
