{#- Wilson score interval for k successes out of n, z = the 97.5 % normal quantile, no continuity
    correction, clamped to [0, 1] against rounding; null when n = 0 (data contract, "Intervals"). -#}
{#- z is a DOUBLE before any arithmetic: as a DECIMAL literal DuckDB multiplies z * z exactly and
    rounds once at the division, Spark (whose literals are DOUBLE) rounds the product first, and
    the bounds then differ in their 16th digit between the engines (docs/decisions.md, "The
    Wilson z as a DOUBLE"). -#}
{% macro wilson_z() -%}cast(1.959963984540054 as double){%- endmacro %}

{#- k = 0 (k = n) gives exactly 0 (1) for the low (high) end; the formula leaves rounding dust. -#}
{% macro wilson_low(successes, trials) -%}
    case when {{ trials }} > 0 and ({{ successes }}) = 0 then 0.0
    when {{ trials }} > 0 then greatest(0.0,
        (
            ({{ successes }}) * 1.0 / ({{ trials }})
            + {{ wilson_z() }} * {{ wilson_z() }} / (2.0 * ({{ trials }}))
            - {{ wilson_z() }} * sqrt(
                ({{ successes }}) * 1.0 / ({{ trials }}) * (1.0 - ({{ successes }}) * 1.0 / ({{ trials }})) / ({{ trials }})
                + {{ wilson_z() }} * {{ wilson_z() }} / (4.0 * ({{ trials }}) * ({{ trials }}))
            )
        ) / (1.0 + {{ wilson_z() }} * {{ wilson_z() }} / ({{ trials }}))
    ) end
{%- endmacro %}

{% macro wilson_high(successes, trials) -%}
    case when {{ trials }} > 0 and ({{ successes }}) = ({{ trials }}) then 1.0
    when {{ trials }} > 0 then least(1.0,
        (
            ({{ successes }}) * 1.0 / ({{ trials }})
            + {{ wilson_z() }} * {{ wilson_z() }} / (2.0 * ({{ trials }}))
            + {{ wilson_z() }} * sqrt(
                ({{ successes }}) * 1.0 / ({{ trials }}) * (1.0 - ({{ successes }}) * 1.0 / ({{ trials }})) / ({{ trials }})
                + {{ wilson_z() }} * {{ wilson_z() }} / (4.0 * ({{ trials }}) * ({{ trials }}))
            )
        ) / (1.0 + {{ wilson_z() }} * {{ wilson_z() }} / ({{ trials }}))
    ) end
{%- endmacro %}

{#- A proportion that is null, never 0, when the denominator is 0. -#}
{% macro safe_rate(numerator, denominator) -%}
    case when {{ denominator }} > 0 then ({{ numerator }}) * 1.0 / ({{ denominator }}) end
{%- endmacro %}

{#- A proportion with its Wilson 95 % interval as three columns: <name>, <name>_ci_low,
    <name>_ci_high (null when the denominator is 0). -#}
{% macro rate_with_interval(numerator, denominator, name) -%}
    {{ safe_rate(numerator, denominator) }} as {{ name }},
        {{ wilson_low(numerator, denominator) }} as {{ name }}_ci_low,
        {{ wilson_high(numerator, denominator) }} as {{ name }}_ci_high
{%- endmacro %}
