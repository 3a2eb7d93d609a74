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

{#- The upper bound of a grade's band as text, for the grade_rule sentence. -#}
{% macro grade_band_text(grade) -%}
    {%- set thresholds = var('grade_thresholds') -%}
    case {{ grade }}
        when 'A' then '<= {{ "%.2f" | format(thresholds["A"] * 100) }}%'
        when 'B' then '<= {{ "%.2f" | format(thresholds["B"] * 100) }}%'
        when 'C' then '<= {{ "%.2f" | format(thresholds["C"] * 100) }}%'
        else '> {{ "%.2f" | format(thresholds["C"] * 100) }}%'
    end
{%- endmacro %}
