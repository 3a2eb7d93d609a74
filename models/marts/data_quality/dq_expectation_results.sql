with

expectation_results as (
    select * from {{ ref('stg_meta__expectation_results') }}
),

final as (
    select * from expectation_results
)

select * from final
