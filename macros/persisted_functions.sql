{#- The statistics of macros/ persisted as DuckDB macros in the marts schema (on-run-end), so the
    dashboard, the scorecards and analysts in the SQL console call the very definitions the marts
    were built with: marts.wilson_low(k, n), marts.wilson_high(k, n) (null when n = 0, clamped to
    [0, 1]), marts.safe_rate(k, n), and the funnel plot's normal quantiles
    marts.funnel_z_warning() (95 %, two-sided) and marts.funnel_z_control() (99.8 %). -#}

{#- The funnel plot's limits: platform rate +- z x binomial standard error at a volume. -#}
{% macro funnel_z_warning() -%}{{ wilson_z() }}{%- endmacro %}
{% macro funnel_z_control() -%}3.090232306167813{%- endmacro %}

{% macro funnel_limit(rate, trials, z, sign) -%}
    case when {{ trials }} > 0 then least(1.0, greatest(0.0,
        {{ rate }} {{ sign }} {{ z }} * sqrt({{ rate }} * (1.0 - {{ rate }}) / ({{ trials }}))
    )) end
{%- endmacro %}

{% macro create_persisted_functions() -%}
    {%- if execute and target.type == 'duckdb' -%}
    create schema if not exists marts;
    create or replace macro marts.wilson_low(successes, trials) as
        {{ wilson_low('successes', 'trials') }};
    create or replace macro marts.wilson_high(successes, trials) as
        {{ wilson_high('successes', 'trials') }};
    create or replace macro marts.safe_rate(successes, trials) as
        {{ safe_rate('successes', 'trials') }};
    create or replace macro marts.funnel_z_warning() as cast({{ funnel_z_warning() }} as double);
    create or replace macro marts.funnel_z_control() as cast({{ funnel_z_control() }} as double);
    create or replace macro marts.funnel_limit(rate, trials, z, sign) as
        {{ funnel_limit('rate', 'trials', 'z', '+ sign *') }};
    {%- endif -%}
{%- endmacro %}

{#- `dbt run-operation persist_functions`: the same macros written into a warehouse whose marts
    another engine built (complaints build --engine spark). -#}
{% macro persist_functions() -%}
    {%- do run_query(create_persisted_functions()) -%}
{%- endmacro %}
