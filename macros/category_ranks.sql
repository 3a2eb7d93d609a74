{#- The shrinkage and ranking that merchant grades and SKU ranks share: one definition, so the two
    judgments cannot drift apart. -#}

{#- The window's rates with its category prior (fitted by maximum likelihood, platform fallback)
    and the empirical-Bayes shrunk defect rate; `windows` and `priors` are the import CTEs. -#}
{% macro shrunk_by_category_prior(windows, priors) -%}
    select
        {{ windows }}.*,
        {{ priors }}.prior_alpha,
        {{ priors }}.prior_beta,
        {{ priors }}.prior_strength,
        {#- typed: a priors table fitted from no window has no type to give it -#}
        cast({{ priors }}.prior_source as {{ dbt.type_string() }}) as prior_source,
        ({{ windows }}.defect_lines + {{ priors }}.prior_alpha)
            / ({{ windows }}.order_lines + {{ priors }}.prior_alpha + {{ priors }}.prior_beta)
            as shrunk_defect_rate
    from {{ windows }}
    left join {{ priors }}
        on {{ windows }}.window_end_week = cast({{ priors }}.window_end_week as date)
        and {{ windows }}.category is not distinct from {{ priors }}.category
{%- endmacro %}

{#- Rank within the category and window by shrunk rate, worst first (ties by id), and the number
    ranked: only rows at the minimum volume are ranked. -#}
{% macro category_rank_columns(entity_id) -%}
        case when has_min_volume then
            row_number() over (
                partition by window_end_week, category, has_min_volume
                order by shrunk_defect_rate desc, {{ entity_id }}
            )
        end as category_rank,
        case when has_min_volume then
            count(*) over (partition by window_end_week, category, has_min_volume)
        end as n_ranked_in_category
{%- endmacro %}
