{#- The status counts, measured count and compliance rate of an SLA grouping (columns of
    marts.sla_compliance_weekly), over a relation with a `status` column. -#}
{% macro sla_status_counts() -%}
    {%- for status in sla_statuses() %}
    count(case when status = '{{ status }}' then 1 end) as n_{{ status }},
    {%- endfor %}
    count(case when status in ('met', 'breached', 'open_overdue') then 1 end) as n_measured,
    count(case when status in {{ sla_pending_statuses_sql() }} then 1 end) as n_pending
{%- endmacro %}

{#- Statuses of a stage that is not measured yet but still can be (not yet due, or not started on an
    open complaint): while a grouping holds any, its compliance is provisional. -#}
{% macro sla_pending_statuses() -%}
    {{ return(['open_not_due', 'not_started']) }}
{%- endmacro %}

{% macro sla_pending_statuses_sql() -%}
    ('{{ sla_pending_statuses() | join("', '") }}')
{%- endmacro %}

{#- The pending count and the provisional flag of a grouping (after sla_status_counts). -#}
{% macro sla_pending_columns(relation) -%}
    {{ relation }}.n_pending,
        {{ relation }}.n_pending > 0 as is_provisional
{%- endmacro %}

{% macro sla_compliance_columns() -%}
    {{ rate_with_interval('n_met', 'n_measured', 'compliance_rate') }}
{%- endmacro %}
