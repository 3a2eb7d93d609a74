{#- The fitted priors are kept between builds and refitted only for the grading windows whose
    rows changed (docs/incremental.md, "Priors refitted by window"; flows/priors.py). Each
    window's rows get an order-independent fingerprint: the count of its rows and the bit_xor of
    a 60-bit hash of each row (the first 15 hex digits of an md5, the same on both engines). -#}

{% macro row_fingerprint(columns) -%}
    {{ return(adapter.dispatch('row_fingerprint')(columns)) }}
{%- endmacro %}

{% macro default__row_fingerprint(columns) -%}
    cast('0x' || left(md5({{ fingerprint_text(columns) }}), 15) as bigint)
{%- endmacro %}

{% macro spark__row_fingerprint(columns) -%}
    cast(conv(left(md5({{ fingerprint_text(columns) }}), 15), 16, 10) as bigint)
{%- endmacro %}

{#- The row as text: its columns separated by '|', a null as '(null)'. -#}
{% macro fingerprint_text(columns) -%}
    concat_ws('|'
    {%- for column in columns -%}
        , coalesce(cast({{ column }} as {{ dbt.type_string() }}), '(null)')
    {%- endfor -%})
{%- endmacro %}

{#- Per window_end_week of a grading window table: rows and fingerprint, and where this build
    starts (incremental_since: null on a full build), which tells the Python model whether to
    keep anything (a Python model reads no vars). -#}
{% macro grading_window_fingerprints(windows, key) -%}
    select
        window_end_week,
        count(*) as window_rows,
        bit_xor({{ row_fingerprint([key, 'category', 'order_lines', 'defect_lines']) }})
            as window_fingerprint,
        {{ incremental_since() }} as incremental_since
    from {{ windows }}
    group by window_end_week
{%- endmacro %}
