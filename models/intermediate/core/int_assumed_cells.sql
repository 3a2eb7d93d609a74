{#- One row per file, column and row whose value a profile default supplied; row_number is null
    when every row of the file took it (joins then match on file and column alone). The SLA
    models use it to tell an assumed timestamp from an observed one (data contract, "Other
    layouts"). -#}
with

assumed_values as (
    select * from {{ ref('stg_meta__assumed_values') }}
),

every_row as (
    select entity, file_id, column_name, cast(null as bigint) as row_number
    from assumed_values
    where every_row
),

some_rows as (
    select entity, file_id, column_name, {{ unnest_list('row_numbers') }} as row_number
    from assumed_values
    where not every_row
),

final as (
    select * from every_row
    union all
    select * from some_rows
)

select * from final
