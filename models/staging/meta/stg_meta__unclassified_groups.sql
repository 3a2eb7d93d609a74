{#- Unclassified complaints and the description group each falls in (flows/text/groups.py). -#}
with

groups as (
    select * from {{ source('meta', 'unclassified_groups') }}
),

renamed as (
    select
        complaint_id,
        group_id,
        group_terms,
        group_size
    from groups
)

select * from renamed
