{#- Legal-entitlement helpers (data contract, "Legal entitlements"). -#}

{#- The contract's remedy order: return_refund > exchange > repair > partial_refund >
    return_shipping_refund > none = rejected (a closed complaint without a remedy ranks as none). -#}
{% macro remedy_rank(remedy) -%}
    case {{ remedy }}
        when 'return_refund' then 5
        when 'exchange' then 4
        when 'repair' then 3
        when 'partial_refund' then 2
        when 'return_shipping_refund' then 1
        else 0
    end
{%- endmacro %}

{#- The rules a closed complaint is checked against, strongest legal basis first. -#}
{% macro legal_rules() -%}
    {{ return([
        'defect_return',
        'defect_exchange',
        'defect_repair',
        'no_reason_return',
        'counterfeit_compensation',
    ]) }}
{%- endmacro %}

{#- var "legal_exempt_categories" as a SQL list literal of strings. -#}
{% macro legal_exempt_categories_list() -%}
    {%- set names = var('legal_exempt_categories') -%}
    {%- if names | length == 0 -%}
        (select cast(null as string) where false)
    {%- else -%}
        ({% for name in names %}'{{ name | replace("'", "''") }}'{% if not loop.last %}, {% endif %}{% endfor %})
    {%- endif -%}
{%- endmacro %}
