{#- Terms whose weekly mentions on a SKU or category are improbably high for their baseline: a
    one-sided Poisson test of the week's count, at level emerging_p_value, once the week has at
    least emerging_min_count mentions and emerging_min_baseline_weeks weeks of baseline. The mean
    tested against is the largest of the baseline's weekly mean, the baseline share times this
    week's complaints of the scope (so a week with more complaints of every kind, a promotion or a
    bad batch, does not make every word emerge) and emerging_min_expected (a word never seen). -#}
with

trends as (
    select * from {{ ref('term_trends_weekly') }}
),

complaint_terms as (
    select * from {{ ref('complaint_terms') }}
),

skus as (
    select * from {{ ref('stg_raw__skus') }}
),

merchants as (
    select * from {{ ref('stg_raw__merchants') }}
),

candidates as (
    select
        *,
        greatest(
            coalesce(baseline_mean, 0),
            coalesce(baseline_share, 0) * n_scope_complaints,
            {{ var('emerging_min_expected') }}
        ) as expected_complaints
    from trends
    where n_complaints >= {{ var('emerging_min_count') }}
        and baseline_weeks >= {{ var('emerging_min_baseline_weeks') }}
),

tested as (
    select
        *,
        {{ poisson_upper_tail('n_complaints', 'expected_complaints') }} as p_value
    from candidates
    where n_complaints > expected_complaints
),

mentions as (
    select
        scope,
        scope_id,
        term,
        received_week,
        {{ dbt.listagg('complaint_id', "', '", 'order by complaint_id') }} as complaint_ids
    from (
        select 'sku' as scope, sku_id as scope_id, term, received_week, complaint_id
        from complaint_terms
        where is_counted and sku_id is not null
        union all
        select 'category' as scope, category as scope_id, term, received_week, complaint_id
        from complaint_terms
        where is_counted and category is not null
    ) as scoped
    group by scope, scope_id, term, received_week
),

final as (
    select
        tested.scope,
        tested.scope_id,
        tested.term,
        tested.received_week,
        tested.iso_week,
        case when tested.scope = 'sku' then skus.sku_name end as sku_name,
        case when tested.scope = 'sku' then skus.merchant_id end as merchant_id,
        case when tested.scope = 'sku' then merchants.merchant_name end as merchant_name,
        case
            when tested.scope = 'sku' then merchants.category else tested.scope_id
        end as category,
        tested.n_complaints,
        tested.n_scope_complaints,
        tested.share,
        tested.baseline_weeks,
        tested.baseline_mean,
        tested.baseline_share,
        tested.expected_complaints,
        tested.n_complaints / tested.expected_complaints as ratio_to_expected,
        tested.p_value,
        tested.is_partial_week,
        mentions.complaint_ids
    from tested
    left join skus
        on tested.scope = 'sku'
        and tested.scope_id = skus.sku_id
    left join merchants
        on skus.merchant_id = merchants.merchant_id
    left join mentions
        on tested.scope = mentions.scope
        and tested.scope_id = mentions.scope_id
        and tested.term = mentions.term
        and tested.received_week = mentions.received_week
    where tested.p_value < {{ var('emerging_p_value') }}
)

select * from final
