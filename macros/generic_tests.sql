{#- The smallest and largest `column` of `relation` as SQL literals (string keys; null when it
    has no row), read when the query runs. -#}
{% macro value_range(column, relation) -%}
    {%- if not execute -%}
        {{ return(('null', 'null')) }}
    {%- endif -%}
    {%- set row = run_query(
        'select cast(min(' ~ column ~ ') as string), cast(max(' ~ column ~ ') as string) from '
        ~ relation
    ).rows[0] -%}
    {{ return((sql_string(row[0]), sql_string(row[1]))) }}
{%- endmacro %}

{#- A value as an SQL string literal ('null' for none). -#}
{% macro sql_string(value) -%}
    {{ return('null' if value is none else "'" ~ (value | string | replace("'", "''")) ~ "'") }}
{%- endmacro %}

{#- Rows whose combination of `columns` is not unique: the composite primary-key test (no dbt
    packages, so not dbt_utils.unique_combination_of_columns).
    With `loaded_at` (the column saying when a row was loaded), an incremental build checks only
    the keys whose first column has a row loaded since its last build: the last build passed this
    test, so a duplicate now must involve a new row (docs/incremental.md). The new rows' smallest
    and largest first column are read first and written into the query as literals: a table
    scan skips the row groups outside that range (DuckDB's zone maps, Parquet's statistics),
    which is most of them when new keys are larger than old ones (sequential or time-prefixed
    order ids) and are stored last.
    With `redone_in` (the list model of the `redone_by` values, complaint_id by default, a model
    redoes: the same list its incremental config names), an incremental build checks only the
    rows of the listed values where the model keeps the others: the kept rows passed before, and
    a duplicate shares its `redone_by` value (one of `columns`) with a redone row. Where the
    engine rebuilds the model whole (Spark, but for the order-week models) it is checked whole. -#}
{% test unique_key(model, columns, loaded_at=none, redone_in=none, redone_by='complaint_id') %}
    {%- set redone = ref(redone_in) if redone_in else none %}
    select {{ columns | join(', ') }}, count(*) as n_rows
    from {{ model }}
    {%- if loaded_at and incremental_since_text() %}
    {%- set new_rows = '(select ' ~ columns[0] ~ ' from ' ~ model ~ ' where ' ~ loaded_at
        ~ ' > ' ~ incremental_since() ~ ') as new_rows' %}
    {%- set low, high = value_range(columns[0], new_rows) %}
    where {{ columns[0] }} between {{ low }} and {{ high }}
        and {{ columns[0] }} in (select {{ columns[0] }} from {{ new_rows }})
    {%- elif redone and incremental_since_text() and keeps_unlisted_rows(redone_by, redone_in) %}
    where {{ redone_by }} in (select {{ redone_by }} from {{ redone }})
    {%- endif %}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}

{#- Whether a model redoing the `column` values that `list_model` lists keeps its other rows
    between builds on this engine (its incremental config's materialisation). -#}
{% macro keeps_unlisted_rows(column, list_model) -%}
    {%- if column == 'complaint_id' -%}
        {%- set config = incremental_by_complaint(list_model) -%}
    {%- elif column == 'received_week' -%}
        {%- set config = incremental_by_received_week(list_model) -%}
    {%- elif column == 'order_week' -%}
        {%- set config = incremental_by_order_week() -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error('unique_key: no model is redone by ' ~ column) }}
    {%- endif -%}
    {{ return(config.materialized == 'incremental') }}
{%- endmacro %}

{#- Rows where a numeric column falls outside [min_value, max_value] (nulls pass). -#}
{% test between(model, column_name, min_value, max_value) %}
    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} < {{ min_value }} or {{ column_name }} > {{ max_value }}
{% endtest %}

{#- Rows where a Wilson interval does not bracket its rate (nulls pass). -#}
{% test interval_brackets(model, column_name, low, high) %}
    select {{ column_name }}, {{ low }}, {{ high }}
    from {{ model }}
    where {{ column_name }} is not null
        and ({{ low }} > {{ column_name }} + 1e-12 or {{ high }} < {{ column_name }} - 1e-12)
{% endtest %}

{#- Rows where any of `columns` is null: one scan for all the non-key not-null rules of a model
    (a test per column would cost one query and one dbt node each). -#}
{% test not_null_columns(model, columns) %}
    select *
    from {{ model }}
    where {% for column in columns %}{{ column }} is null{% if not loop.last %} or {% endif %}{% endfor %}
{% endtest %}

{#- Rows where a column is present without `condition`, or missing with it: a column that only
    means something for some rows (e.g. a grade's threshold, for graded rows). -#}
{% test present_when(model, column_name, condition) %}
    select {{ column_name }}
    from {{ model }}
    where ({{ column_name }} is not null) <> coalesce(({{ condition }}), false)
{% endtest %}
