{#- Empirical-Bayes shrinkage of defect rates: a beta prior per (category, window) fitted by the
    method of moments to the entities' observed rates, after removing the binomial noise:
      m    = pooled rate of the group (sum defects / sum lines)
      s2   = variance of the entities' rates
      tau2 = s2 - m (1 - m) * mean(1 / n)     (between-entity variance)
      alpha + beta = m (1 - m) / tau2 - 1, capped at the group's lines; the cap also applies when
      tau2 <= 0 or the group has one entity (no evidence of spread: shrink hard to m).
    shrunk rate = (defects + alpha) / (lines + alpha + beta).
    `relation` is a CTE with category, window_days, order_lines, defect_lines. -#}
{% macro beta_prior_by_moments(relation) -%}
    select
        category,
        window_days,
        pooled_rate * prior_strength as prior_alpha,
        (1.0 - pooled_rate) * prior_strength as prior_beta
    from (
        select
            category,
            window_days,
            pooled_rate,
            case
                when between_variance is null or between_variance <= 0 then total_lines
                else least(
                    greatest(pooled_rate * (1.0 - pooled_rate) / between_variance - 1.0, 0.0),
                    total_lines
                )
            end as prior_strength
        from (
            select
                category,
                window_days,
                sum(defect_lines) * 1.0 / sum(order_lines) as pooled_rate,
                sum(order_lines) * 1.0 as total_lines,
                var_samp(defect_lines * 1.0 / order_lines)
                    - (sum(defect_lines) * 1.0 / sum(order_lines))
                    * (1.0 - sum(defect_lines) * 1.0 / sum(order_lines))
                    * avg(1.0 / order_lines) as between_variance
            from {{ relation }}
            where order_lines > 0
            group by category, window_days
        ) as moments
    ) as fitted
{%- endmacro %}

{#- Each row of `windows` (defect_lines, order_lines, category, window_days) with its category's
    beta prior from `priors` and the posterior-mean (shrunk) defect rate. -#}
{% macro shrink_to_prior(windows, priors) -%}
    select
        {{ windows }}.*,
        {{ priors }}.prior_alpha,
        {{ priors }}.prior_beta,
        ({{ windows }}.defect_lines + {{ priors }}.prior_alpha)
            / ({{ windows }}.order_lines + {{ priors }}.prior_alpha + {{ priors }}.prior_beta)
            as shrunk_defect_rate
    from {{ windows }}
    left join {{ priors }}
        on {{ windows }}.category is not distinct from {{ priors }}.category
        and {{ windows }}.window_days = {{ priors }}.window_days
{%- endmacro %}
