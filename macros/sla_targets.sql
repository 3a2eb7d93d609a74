{#- The SLA targets of var "sla_targets_hours" (stage -> channel -> hours, null = not measured) as
    rows of a values list, so models join them instead of burying literals in SQL. -#}
{% macro sla_targets_values() -%}
    {%- set rows = [] -%}
    {%- for stage, per_channel in var('sla_targets_hours').items() -%}
        {%- for channel, hours in per_channel.items() -%}
            {%- do rows.append("('" ~ stage ~ "', '" ~ channel ~ "', cast(" ~ (hours if hours is not none else 'null') ~ " as double))") -%}
        {%- endfor -%}
    {%- endfor -%}
    select * from (values {{ rows | join(', ') }}) as targets (stage, channel, target_hours)
{%- endmacro %}

{% macro sla_stages() -%}
    {{ return(['acknowledge', 'merchant_notified', 'merchant_evidence', 'resolution']) }}
{%- endmacro %}

{% macro sla_statuses() -%}
    {{ return(['met', 'breached', 'open_overdue', 'open_not_due', 'not_started', 'not_applicable', 'not_observed']) }}
{%- endmacro %}
