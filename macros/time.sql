{#- Time helpers. Instants are TIMESTAMPTZ; weeks and dates are taken in the platform time zone
    (var "timezone"); durations are elapsed time, never local calendar arithmetic. The
    engine-specific spellings are in macros/engine.sql. -#}

{#- The local wall-clock time (naive) of an instant in the platform time zone. -#}
{% macro to_local(instant) -%}
    {{ instant_to_local(instant, var("timezone")) }}
{%- endmacro %}

{#- The local date of an instant. -#}
{% macro local_date(instant) -%}
    cast({{ to_local(instant) }} as date)
{%- endmacro %}

{#- Monday (DATE) of the ISO week holding the instant, in the platform time zone. -#}
{% macro local_week(instant) -%}
    cast({{ dbt.date_trunc('week', to_local(instant)) }} as date)
{%- endmacro %}

{#- An instant moved by an elapsed number of hours (fractional allowed): exact, DST-proof. -#}
{% macro add_hours(instant, hours) -%}
    {{ instant_plus_us(instant, 'cast(round((' ~ hours ~ ') * 3600000000.0) as bigint)') }}
{%- endmacro %}

{% macro add_days(instant, days) -%}
    {{ add_hours(instant, '(' ~ days ~ ') * 24') }}
{%- endmacro %}

{#- Elapsed hours from one instant to another (fractional). -#}
{% macro elapsed_hours(from_instant, to_instant) -%}
    (({{ epoch_us(to_instant) }} - {{ epoch_us(from_instant) }}) / 3600000000.0)
{%- endmacro %}

{#- The instant of a local (naive) wall-clock TIMESTAMP in the platform time zone. -#}
{% macro to_instant_local(local_timestamp) -%}
    {{ local_to_instant(local_timestamp, var("timezone")) }}
{%- endmacro %}

{#- The local midnight starting a DATE, as an instant. -#}
{% macro local_midnight(date_value) -%}
    {{ local_to_instant(date_value, var("timezone")) }}
{%- endmacro %}

{#- The build's reference time given as a var (an ISO instant with offset), or null. -#}
{% macro as_of_override() -%}
    {%- if var('as_of', none) -%}
        cast('{{ var("as_of") }}' as {{ instant_type() }})
    {%- else -%}
        cast(null as {{ instant_type() }})
    {%- endif -%}
{%- endmacro %}

{#- Whether an order week's rates are final: as_of >= the week's last day (Sunday) + the
    configured maturity days, the date taken in the platform time zone (so at local midnight). -#}
{% macro is_week_mature(week_date, as_of) -%}
    ({{ as_of }} >= {{ local_midnight(dbt.dateadd('day', 6 + var('rate_maturity_days') | int, week_date)) }})
{%- endmacro %}

{#- Working microseconds before an instant, given the working interval an ASOF join matched to it
    (the last one starting at or before the instant): that interval's cumulative start plus the
    part of it already worked. Null when the instant precedes the calendar. -#}
{% macro working_position(instant, intervals) -%}
    ({{ intervals }}.cum_start_us + least(
        greatest({{ epoch_us(instant) }} - {{ epoch_us(intervals ~ '.work_start_at') }}, 0),
        {{ intervals }}.length_us
    ))
{%- endmacro %}
