{#- One-sided Poisson test: P(X >= k) for X ~ Poisson(lam), summed exactly over the upper tail.
    Use only where k > lam > 0: the terms then fall away from k, and the tail beyond
    k + 60 + 10 sqrt(k) (over 16 standard deviations) is far below any test level. -#}
{% macro poisson_upper_tail(k, lam) -%}
    {{ sum_over_range(
        'cast(' ~ k ~ ' as bigint)',
        'cast(' ~ k ~ ' as bigint) + 60 + cast(ceil(10 * sqrt(' ~ k ~ ')) as bigint)',
        'exp(-(' ~ lam ~ ') + i * ln(' ~ lam ~ ') - ' ~ lgamma('i + 1') ~ ')'
    ) }}
{%- endmacro %}
