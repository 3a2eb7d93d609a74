{#- The status counts, measured count and compliance rate of an SLA grouping (columns of
    marts.sla_compliance_weekly), over a relation with a `status` column. -#}
{% macro sla_status_counts() -%}
    {%- for status in sla_statuses() %}
    count(case when status = '{{ status }}' then 1 end) as n_{{ status }},
    {%- endfor %}
    count(case when status in ('met', 'breached', 'open_overdue') then 1 end) as n_measured
{%- endmacro %}

{% macro sla_compliance_columns() -%}
    {{ rate_with_interval('n_met', 'n_measured', 'compliance_rate') }}
{%- endmacro %}
