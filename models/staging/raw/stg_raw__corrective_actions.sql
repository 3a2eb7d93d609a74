with

source as (
    select * from {{ source('raw', 'corrective_actions') }}
),

renamed as (
    select
        action_id,
        merchant_id,
        sku_id,
        nullif(trim(issue_type), '') as issue_type,
        action_type,
        case when sku_id is null then 'merchant' else 'sku' end as scope,
        opened_at,
        completed_at,
        _file_id as file_id
    from source
)

select * from renamed
