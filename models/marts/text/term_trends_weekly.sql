{#- Weekly mentions of each term on each SKU and each category (the merchant's main category), by
    received week, among counted complaints; with the baseline of the previous
    emerging_baseline_weeks weeks (weeks before the first received week do not count). Only weeks
    in which the term was mentioned are rows. Kept by received week on DuckDB: a daily run redoes
    the weeks int_term_weeks_to_redo lists, reading only the weeks their baselines span. -#}
{%- set window_days = var('emerging_baseline_weeks') * 7 %}
{{ config(**incremental_by_received_week('int_term_weeks_to_redo')) }}
-- depends_on: {{ ref('int_term_weeks_to_redo') }}
with

complaint_terms as (
    select * from {{ ref('complaint_terms') }}
),

complaints as (
    select * from {{ ref('int_complaints_enriched') }}
),

merchants as (
    select * from {{ ref('stg_raw__merchants') }}
),

context as (
    select * from {{ ref('int_build_context') }}
),

counted_terms as (
    select * from complaint_terms
    where is_counted
        and {{ only_weeks_a_redone_week_reads('received_week', window_days, 'int_term_weeks_to_redo') }}
),

counted_complaints as (
    select
        complaints.complaint_id,
        complaints.sku_id,
        merchants.category,
        complaints.received_week
    from complaints
    left join merchants
        on complaints.merchant_id = merchants.merchant_id
    where complaints.is_counted
        and {{ only_weeks_a_redone_week_reads(
            'complaints.received_week', window_days, 'int_term_weeks_to_redo'
        ) }}
),

first_week as (
    select min(received_week) as first_received_week
    from complaints
    where is_counted
),

scoped_terms as (
    select 'sku' as scope, sku_id as scope_id, term, received_week, complaint_id
    from counted_terms
    where sku_id is not null
    union all
    select 'category' as scope, category as scope_id, term, received_week, complaint_id
    from counted_terms
    where category is not null
),

scoped_complaints as (
    select 'sku' as scope, sku_id as scope_id, received_week, complaint_id
    from counted_complaints
    where sku_id is not null
    union all
    select 'category' as scope, category as scope_id, received_week, complaint_id
    from counted_complaints
    where category is not null
),

term_weeks as (
    select
        scope,
        scope_id,
        term,
        received_week,
        count(distinct complaint_id) as n_complaints
    from scoped_terms
    group by scope, scope_id, term, received_week
),

scope_weeks as (
    select
        scope,
        scope_id,
        received_week,
        count(distinct complaint_id) as n_scope_complaints
    from scoped_complaints
    group by scope, scope_id, received_week
),

term_baselines as (
    select
        *,
        coalesce(sum(n_complaints) over (
            partition by scope, scope_id, term
            order by received_week
            range between interval {{ window_days }} days preceding and interval 1 day preceding
        ), 0) as baseline_complaints
    from term_weeks
),

scope_baselines as (
    select
        *,
        coalesce(sum(n_scope_complaints) over (
            partition by scope, scope_id
            order by received_week
            range between interval {{ window_days }} days preceding and interval 1 day preceding
        ), 0) as baseline_scope_complaints
    from scope_weeks
),

final as (
    select
        term_baselines.scope,
        term_baselines.scope_id,
        term_baselines.term,
        term_baselines.received_week,
        {{ iso_week_label('term_baselines.received_week') }} as iso_week,
        term_baselines.n_complaints,
        scope_baselines.n_scope_complaints,
        term_baselines.n_complaints / scope_baselines.n_scope_complaints as share,
        least(
            {{ var('emerging_baseline_weeks') }},
            {{ weeks_between('first_week.first_received_week', 'term_baselines.received_week') }}
        ) as baseline_weeks,
        term_baselines.baseline_complaints,
        scope_baselines.baseline_scope_complaints,
        term_baselines.baseline_complaints / nullif(
            least(
                {{ var('emerging_baseline_weeks') }},
                {{ weeks_between('first_week.first_received_week', 'term_baselines.received_week') }}
            ),
            0
        ) as baseline_mean,
        term_baselines.baseline_complaints
            / nullif(scope_baselines.baseline_scope_complaints, 0) as baseline_share,
        {{ local_date('context.as_of') }} < term_baselines.received_week + 6 as is_partial_week
    from term_baselines
    inner join scope_baselines
        on term_baselines.scope = scope_baselines.scope
        and term_baselines.scope_id = scope_baselines.scope_id
        and term_baselines.received_week = scope_baselines.received_week
    cross join first_week
    cross join context
    where {{ only_received_weeks_to_redo('term_baselines.received_week', 'int_term_weeks_to_redo') }}
)

select * from final
