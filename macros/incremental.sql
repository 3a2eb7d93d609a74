{#- Incremental builds by order week (docs/incremental.md). The build passes var
    "incremental_since" (the newest raw row its last build saw) and decides between an incremental
    run and a full one (flows/build/incremental.py); a model keyed by order week redoes exactly the
    weeks int_order_weeks_to_redo lists and keeps the others.

    One SQL per model; how a week is replaced differs per engine:
    - DuckDB: the weeks are deleted by a pre-hook, then the model's rows for them appended, so a
      week that lost every row is gone too;
    - Spark (Parquet tables, no DELETE): the table is partitioned by order week and the model's
      rows overwrite their week partitions (insert_overwrite, dynamic partitions). -#}
{% macro incremental_by_order_week() -%}
    {{ return(adapter.dispatch('incremental_by_order_week')()) }}
{%- endmacro %}

{% macro default__incremental_by_order_week() -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'pre_hook': "{% if is_incremental() %}delete from {{ this }} where order_week in (select order_week from {{ ref('int_order_weeks_to_redo') }}){% else %}select 1{% endif %}",
    }) }}
{%- endmacro %}

{% macro spark__incremental_by_order_week() -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'insert_overwrite',
        'partition_by': ['order_week'],
    }) }}
{%- endmacro %}

{#- The filter an incremental run puts on a model's order-week rows (nothing on a full build). -#}
{% macro only_weeks_to_redo(week_column) -%}
    {%- if is_incremental() -%}
        {{ week_column }} in (select order_week from {{ ref('int_order_weeks_to_redo') }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- The newest raw row the last build saw, as an instant literal (null on a full build). -#}
{% macro incremental_since() -%}
    {%- if var('incremental_since', none) -%}
        cast('{{ var("incremental_since") }}' as {{ instant_type() }})
    {%- else -%}
        cast(null as {{ instant_type() }})
    {%- endif -%}
{%- endmacro %}
