{#- One row per loaded file and column whose value a profile default supplied (data contract,
    "Other layouts"): the data-quality page lists them, and says which ones SLA stages rest on. -#}
with

assumed_values as (
    select * from {{ ref('stg_meta__assumed_values') }}
),

file_ledger as (
    select * from {{ ref('stg_meta__file_ledger') }}
),

final as (
    select
        assumed_values.file_id,
        assumed_values.file_name,
        assumed_values.entity,
        assumed_values.column_name,
        assumed_values.default_value,
        assumed_values.rows_assumed,
        file_ledger.rows_loaded,
        assumed_values.every_row,
        assumed_values.row_numbers,
        {#- The values the SLA evaluation reads: stages resting only on them are not_observed. -#}
        (assumed_values.entity = 'complaint_events' and assumed_values.column_name = 'occurred_at')
            or (assumed_values.entity = 'complaints'
                and assumed_values.column_name in ('received_at', 'updated_at', 'status'))
            as affects_sla,
        assumed_values.recorded_at
    from assumed_values
    left join file_ledger
        on assumed_values.file_id = file_ledger.file_id
)

select * from final
