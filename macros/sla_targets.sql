{#- The SLA targets of var "sla_targets_hours" (stage -> channel -> target, null = not measured)
    as rows of a values list, so models join them instead of burying literals in SQL. A number is
    calendar hours; {value, unit} is working time (working_hours, or working_days of one
    business day's length each, var "working_hours"). target_hours is on the target's own clock:
    calendar hours, or working hours. -#}
{% macro sla_targets_values() -%}
    {%- set day_hours = working_day_hours() -%}
    {%- set rows = [] -%}
    {%- for stage, per_channel in var('sla_targets_hours').items() -%}
        {%- for channel, target in per_channel.items() -%}
            {%- if target is none -%}
                {%- set value, unit, hours = 'null', 'null', 'null' -%}
            {%- elif target is mapping -%}
                {%- set value = target['value'] -%}
                {%- set unit = "'" ~ target['unit'] ~ "'" -%}
                {%- set hours = (target['value'] * day_hours) if target['unit'] == 'working_days' else target['value'] -%}
            {%- else -%}
                {%- set value, unit, hours = target, "'calendar_hours'", target -%}
            {%- endif -%}
            {%- do rows.append("('" ~ stage ~ "', '" ~ channel ~ "', cast(" ~ value ~ " as double), cast(" ~ unit ~ " as string), cast(" ~ hours ~ " as double))") -%}
        {%- endfor -%}
    {%- endfor -%}
    select * from (values {{ rows | join(', ') }}) as targets (stage, channel, target_value, target_unit, target_hours)
{%- endmacro %}

{#- Hours in one business day (var "working_hours", HH:MM local). -#}
{% macro working_day_hours() -%}
    {%- set start = var('working_hours')['start'].split(':') -%}
    {%- set end = var('working_hours')['end'].split(':') -%}
    {{ return((end[0] | int) + (end[1] | int) / 60.0 - (start[0] | int) - (start[1] | int) / 60.0) }}
{%- endmacro %}

{% macro sla_stages() -%}
    {{ return(['acknowledge', 'merchant_notified', 'merchant_evidence', 'resolution']) }}
{%- endmacro %}

{% macro sla_statuses() -%}
    {{ return(['met', 'breached', 'open_overdue', 'open_not_due', 'not_started', 'not_applicable', 'not_observed']) }}
{%- endmacro %}
