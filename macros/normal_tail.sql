{#- Upper tail of the standard normal, P(Z > |x|), for the two-proportion z-test.
    DuckDB has no erf, so this is Hart's (1968) rational approximation as given by West (2005,
    "Better approximations to cumulative normal functions"): absolute error below 1e-14, far inside
    the 1e-7 the p-values need. Two-sided p-value = 2 * normal_upper_tail(z). -#}
{% macro normal_upper_tail(x) -%}
    {%- set ax = "abs(cast(" ~ x ~ " as double))" -%}
    (case
        when {{ ax }} > 37 then 0.0
        when {{ ax }} < 7.07106781186547 then
            exp(-{{ ax }} * {{ ax }} / 2.0)
            * (((((( 0.0352624965998911 * {{ ax }} + 0.700383064443688) * {{ ax }}
                + 6.37396220353165) * {{ ax }} + 33.912866078383) * {{ ax }}
                + 112.079291497871) * {{ ax }} + 221.213596169931) * {{ ax }}
                + 220.206867912376)
            / ((((((( 0.0883883476483184 * {{ ax }} + 1.75566716318264) * {{ ax }}
                + 16.064177579207) * {{ ax }} + 86.7807322029461) * {{ ax }}
                + 296.564248779674) * {{ ax }} + 637.333633378831) * {{ ax }}
                + 793.826512519948) * {{ ax }} + 440.413735824752)
        else
            exp(-{{ ax }} * {{ ax }} / 2.0)
            / ({{ ax }} + 1.0 / ({{ ax }} + 2.0 / ({{ ax }} + 3.0 / ({{ ax }}
                + 4.0 / ({{ ax }} + 0.65)))))
            / 2.506628274631
    end)
{%- endmacro %}

{#- Two-sided p-value of a z statistic. -#}
{% macro two_sided_p_value(z) -%}
    case when {{ z }} is not null then 2.0 * {{ normal_upper_tail(z) }} end
{%- endmacro %}

{#- Pooled two-proportion z statistic (after minus before, so negative = fewer defects after):
    z = (p2 - p1) / sqrt(p (1 - p) (1/n1 + 1/n2)), p = (k1 + k2) / (n1 + n2).
    Null when a side has no trials; 0 when the pooled proportion is 0 or 1 (no variation: no
    evidence of a difference, p-value 1). -#}
{% macro two_proportion_z(k1, n1, k2, n2) -%}
    case
        when ({{ n1 }}) = 0 or ({{ n2 }}) = 0 then null
        when ({{ k1 }}) + ({{ k2 }}) = 0 or ({{ k1 }}) + ({{ k2 }}) = ({{ n1 }}) + ({{ n2 }}) then 0.0
        else
            (({{ k2 }}) * 1.0 / ({{ n2 }}) - ({{ k1 }}) * 1.0 / ({{ n1 }}))
            / sqrt(
                (({{ k1 }}) + ({{ k2 }})) * 1.0 / (({{ n1 }}) + ({{ n2 }}))
                * (1.0 - (({{ k1 }}) + ({{ k2 }})) * 1.0 / (({{ n1 }}) + ({{ n2 }})))
                * (1.0 / ({{ n1 }}) + 1.0 / ({{ n2 }}))
            )
    end
{%- endmacro %}

{#- The terms j = 0 .. k - 1 of a binomial(n, p) distribution as rows (column `term`) for a row
    with columns named by the arguments; summed, 1 - sum = P(X >= k). The rows come from
    integers_below (macros/engine.sql). -#}
{% macro binomial_lower_terms(k, n, p) -%}
    exp(
        {{ lgamma(n ~ ' + 1.0') }} - {{ lgamma('term_index + 1.0') }} - {{ lgamma(n ~ ' - term_index + 1.0') }}
        + term_index * ln({{ p }}) + ({{ n }} - term_index) * ln(1.0 - ({{ p }}))
    )
{%- endmacro %}


{#- Standard normal CDF, Phi(x), from the same upper-tail approximation. -#}
{% macro normal_cdf(x) -%}
    (case when ({{ x }}) >= 0 then 1.0 - {{ normal_upper_tail(x) }} else {{ normal_upper_tail(x) }} end)
{%- endmacro %}

{#- Power of the pooled two-sided two-proportion z-test at alpha = 0.05 to detect a halving of the
    before rate p1 (data contract, "Corrective-action effectiveness"): p2 = p1 / 2,
    pbar = (n1 p1 + n2 p2) / (n1 + n2),
    power = Phi((|p1 - p2| - z sqrt(pbar (1 - pbar) (1/n1 + 1/n2))) / sqrt(p1 (1 - p1)/n1 + p2 (1 - p2)/n2)),
    z the 97.5 % normal quantile (wilson_z, the one definition). Null when a window has no order
    lines or the before rate is 0 (a halving of nothing cannot be detected). -#}
{% macro halving_power(p1, n1, n2) -%}
    {%- set p2 = '((' ~ p1 ~ ') / 2.0)' -%}
    {%- set pbar = '((' ~ n1 ~ ') * (' ~ p1 ~ ') + (' ~ n2 ~ ') * ' ~ p2 ~ ') / ((' ~ n1 ~ ') + (' ~ n2 ~ '))' -%}
    case when ({{ n1 }}) > 0 and ({{ n2 }}) > 0 and ({{ p1 }}) > 0 then
        {{ normal_cdf(
            '(abs((' ~ p1 ~ ') - ' ~ p2 ~ ') - ' ~ wilson_z() ~ ' * sqrt(' ~ pbar ~ ' * (1.0 - ' ~ pbar
            ~ ') * (1.0 / (' ~ n1 ~ ') + 1.0 / (' ~ n2 ~ '))))'
            ~ ' / sqrt((' ~ p1 ~ ') * (1.0 - (' ~ p1 ~ ')) / (' ~ n1 ~ ') + ' ~ p2 ~ ' * (1.0 - ' ~ p2
            ~ ') / (' ~ n2 ~ '))'
        ) }}
    end
{%- endmacro %}

{#- 95 % interval of the relative change after / before - 1 of two proportions, by the log risk
    ratio (Katz): exp(ln(RR) +- z sqrt(1/k2 - 1/n2 + 1/k1 - 1/n1)) - 1. An after window without
    defects takes 0.5 on both defect counts (Haldane-Anscombe) so a drop to zero still gets a
    finite interval; null when the before window has no defect or a window has no lines.
    `bound` is -1 for the low end, +1 for the high end. -#}
{% macro relative_change_bound(k1, n1, k2, n2, bound) -%}
    {%- set c = '(case when (' ~ k2 ~ ') = 0 then 0.5 else 0.0 end)' -%}
    case when ({{ k1 }}) > 0 and ({{ n1 }}) > 0 and ({{ n2 }}) > 0 then
        exp(
            ln((({{ k2 }}) + {{ c }}) / ({{ n2 }}) / ((({{ k1 }}) + {{ c }}) / ({{ n1 }})))
            + ({{ bound }}) * {{ wilson_z() }} * sqrt(
                1.0 / (({{ k2 }}) + {{ c }}) - 1.0 / ({{ n2 }})
                + 1.0 / (({{ k1 }}) + {{ c }}) - 1.0 / ({{ n1 }})
            )
        ) - 1.0
    end
{%- endmacro %}
