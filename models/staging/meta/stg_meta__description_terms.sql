{#- The terms of each segmented description (flows/text/store.py writes them before dbt runs). -#}
with

terms as (
    select * from {{ source('meta', 'description_terms') }}
),

renamed as (
    select
        description_hash,
        term,
        position as term_position
    from terms
)

select * from renamed
