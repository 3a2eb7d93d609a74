{#- The issue types a confirmed defect can have (data contract: issue_type in {quality_defect,
    cosmetic_flaw, counterfeit} and responsibility = merchant): defined here only; the models flag
    them (int_complaints_enriched.is_confirmed_defect, complaint_recurrence.is_defect_issue) and
    the scorecards read the flags. -#}
{% macro confirmed_defect_issue_types() -%}
    {{ return(['quality_defect', 'cosmetic_flaw', 'counterfeit']) }}
{%- endmacro %}

{% macro is_defect_issue(issue_type) -%}
    coalesce({{ issue_type }} in ('{{ confirmed_defect_issue_types() | join("', '") }}'), false)
{%- endmacro %}
