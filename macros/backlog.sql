{#- An open complaint: counted and without a resolution time (the first remedy_executed, else the
    closed after the last reopen, else resolved/closed status time), the same "still open" the SLA
    stages use. The backlog is the open complaints. -#}
{% macro is_open_complaint(is_counted, resolved_at) -%}
    ({{ is_counted }} and {{ resolved_at }} is null)
{%- endmacro %}

{#- Age buckets of the backlog (days from received to as_of), as codes the faces word. -#}
{% macro backlog_age_buckets() -%}
    {{ return([('age_lt1d', 1), ('age_1_3d', 3), ('age_3_7d', 7), ('age_7_14d', 14), ('age_14_30d', 30), ('age_gt30d', none)]) }}
{%- endmacro %}

{% macro backlog_age_bucket(age_days) -%}
    case
        {%- for code, below in backlog_age_buckets() %}
        {%- if below is not none %}
        when {{ age_days }} < {{ below }} then '{{ code }}'
        {%- else %}
        else '{{ code }}'
        {%- endif %}
        {%- endfor %}
    end
{%- endmacro %}
