{#- The merchant grade of a defect rate: A/B/C up to the inclusive thresholds of var
    "grade_thresholds", else D. -#}
{% macro grade_of(rate) -%}
    {%- set thresholds = var('grade_thresholds') -%}
    case
        when {{ rate }} is null then null
        when {{ rate }} <= {{ thresholds['A'] }} then 'A'
        when {{ rate }} <= {{ thresholds['B'] }} then 'B'
        when {{ rate }} <= {{ thresholds['C'] }} then 'C'
        else 'D'
    end
{%- endmacro %}

{#- The threshold a grade's defect rate was judged against: A/B/C's inclusive upper bound, or for D
    the C bound it exceeds. -#}
{% macro grade_threshold_of(grade) -%}
    {%- set thresholds = var('grade_thresholds') -%}
    case {{ grade }}
        when 'A' then {{ thresholds['A'] }}
        when 'B' then {{ thresholds['B'] }}
        when 'C' then {{ thresholds['C'] }}
        when 'D' then {{ thresholds['C'] }}
    end
{%- endmacro %}
