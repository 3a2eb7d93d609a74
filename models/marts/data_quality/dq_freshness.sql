{#- Per entity: how many files were loaded, when the last one was ingested, and the newest record
    time the data carries (the business clock, to spot stale exports). -#}
with

file_ledger as (
    select * from {{ ref('stg_meta__file_ledger') }}
),

orders as (
    select * from {{ ref('stg_raw__orders') }}
),

complaints as (
    select * from {{ ref('stg_raw__complaints') }}
),

complaint_events as (
    select * from {{ ref('stg_raw__complaint_events') }}
),

corrective_actions as (
    select * from {{ ref('stg_raw__corrective_actions') }}
),

entities as (
    select * from (values
        ('merchants'), ('skus'), ('orders'), ('complaints'), ('complaint_events'), ('corrective_actions')
    ) as entity_names (entity)
),

files as (
    select
        entity,
        count(*) as n_files,
        max(ingested_at) as latest_ingested_at
    from file_ledger
    where status = 'loaded'
    group by entity
),

records as (
    select 'orders' as entity, max(ordered_at) as latest_record_at from orders
    union all
    select 'complaints' as entity, max(updated_at) as latest_record_at from complaints
    union all
    select 'complaint_events' as entity, max(occurred_at) as latest_record_at from complaint_events
    union all
    select 'corrective_actions' as entity, max(greatest(opened_at, completed_at)) as latest_record_at
    from corrective_actions
),

final as (
    select
        entities.entity,
        coalesce(files.n_files, 0) as n_files,
        files.latest_ingested_at,
        records.latest_record_at
    from entities
    left join files on entities.entity = files.entity
    left join records on entities.entity = records.entity
)

select * from final
