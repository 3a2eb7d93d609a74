{#- Incremental builds by order week (docs/incremental.md). The build passes where it starts
    (incremental_since: the newest raw row its last build saw) and decides between an incremental
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
    {{ return(replace_listed('order_week', 'int_order_weeks_to_redo')) }}
{%- endmacro %}

{#- DuckDB: an incremental model whose rows of every `column` value that `list_model` lists are
    deleted by a pre-hook and then appended anew, so a value that lost every row is gone too. -#}
{% macro replace_listed(column, list_model) -%}
    {{ return(replace_where(
        column ~ " in (select " ~ column ~ " from {{ ref('" ~ list_model ~ "') }})"
    )) }}
{%- endmacro %}

{#- DuckDB: an incremental model whose rows matching `condition` (SQL on the model's own columns,
    rendered when the hook runs) are deleted by a pre-hook, then the model's rows for them
    appended. The model selects the same rows with the same condition. -#}
{% macro replace_where(condition) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'pre_hook': "{% if is_incremental() %}delete from {{ this }} where " ~ condition ~ "{% else %}select 1{% endif %}",
    }) }}
{%- endmacro %}

{% macro spark__incremental_by_order_week() -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'insert_overwrite',
        'partition_by': ['order_week'],
        'pre_hook': "{{ empty_weeks_to_redo() }}",
    }) }}
{%- endmacro %}

{#- Spark: empty the partition of each week to redo before the model's rows overwrite theirs. A
    dynamic overwrite replaces only the weeks the model writes, so a week that lost every row (all
    its lines re-delivered into other weeks) kept its old rows; emptied first, it is gone as on
    DuckDB. A table cannot be overwritten from itself, hence typed nulls from no row. -#}
{% macro empty_weeks_to_redo() -%}
    {%- if execute and is_incremental() -%}
        {%- set weeks = run_query("select order_week from " ~ ref('int_order_weeks_to_redo')) -%}
        {%- set nulls = [] -%}
        {%- for column in adapter.get_columns_in_relation(this) if column.name != 'order_week' -%}
            {%- do nulls.append("cast(null as " ~ column.dtype ~ ") as " ~ column.name) -%}
        {%- endfor -%}
        {%- for week in weeks.columns[0].values() -%}
            {%- do run_query(
                "insert overwrite table " ~ this ~ " partition (order_week = '" ~ week ~ "') "
                ~ "select " ~ nulls | join(", ") ~ " from (select 1) as no_row where false"
            ) -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{%- endmacro %}

{#- Incremental by complaint (docs/incremental.md): a daily run redoes the rows of some complaints
    and keeps the others. Spark (Parquet tables, no DELETE): rebuilt whole, a table.
    - Without `redo_model`, for a model with one row per complaint that depends only on that
      complaint's own rows (its events; its state, order line and masters): the new rows replace
      those of the same complaints (DuckDB: delete+insert by complaint_id). Complaints and events
      are never removed, so a complaint never loses its row.
    - With `redo_model` (a model listing complaint_id), for a model whose complaint may lose its
      rows (a closed complaint reopened leaves the legal checks): the rows of every complaint it
      lists are deleted first (a pre-hook), then the model's rows for them appended. -#}
{% macro incremental_by_complaint(redo_model=none) -%}
    {{ return(adapter.dispatch('incremental_by_complaint')(redo_model)) }}
{%- endmacro %}

{% macro default__incremental_by_complaint(redo_model=none) -%}
    {%- if redo_model is none -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': 'complaint_id',
    }) }}
    {%- else -%}
    {{ return(replace_listed('complaint_id', redo_model)) }}
    {%- endif -%}
{%- endmacro %}

{% macro spark__incremental_by_complaint(redo_model=none) -%}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}

{#- Incremental by received week (docs/incremental.md), for a weekly aggregate of per-complaint
    rows by the complaints' received week: a daily run redoes the weeks int_received_weeks_to_redo
    lists (those of the complaints whose rows were redone, before and after) and keeps the others.
    Spark: rebuilt whole, a table (as the complaint-side models it aggregates). -#}
{% macro incremental_by_received_week(list_model='int_received_weeks_to_redo') -%}
    {{ return(adapter.dispatch('incremental_by_received_week')(list_model)) }}
{%- endmacro %}

{% macro default__incremental_by_received_week(list_model) -%}
    {{ return(replace_listed('received_week', list_model)) }}
{%- endmacro %}

{% macro spark__incremental_by_received_week(list_model) -%}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}

{#- The filter an incremental run puts on a weekly aggregate's complaint rows: those of the
    received weeks `list_model` lists (nothing on a full build). -#}
{% macro only_received_weeks_to_redo(week_column, list_model='int_received_weeks_to_redo') -%}
    {%- if is_incremental() -%}
        {{ week_column }} in (select received_week from {{ ref(list_model) }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- The filter an incremental run puts on the rows a weekly aggregate with a trailing baseline
    reads: the weeks from `days` before the first received week `list_model` lists to its last
    (nothing on a full build). -#}
{% macro only_weeks_a_redone_week_reads(week_column, days, list_model) -%}
    {%- if is_incremental() -%}
        {%- set weeks = ref(list_model) -%}
        {{ week_column }} >= (select min(received_week) - {{ days }} from {{ weeks }})
        and {{ week_column }} <= (select max(received_week) from {{ weeks }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- The received weeks `relation` lists and the `weeks_after` weeks following each (union all: a
    week may repeat), for a week list whose weeks change the weeks after them (a baseline, a
    look-back window). -#}
{% macro received_weeks_and_after(relation, weeks_after) -%}
    {%- for weeks_later in range(weeks_after | int + 1) %}
    select cast(received_week + {{ 7 * weeks_later }} as date) as received_week
    from {{ relation }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- The previous build's version of a relation, for a model that compares with it (none on a full
    build, on the first build and on Spark, whose complaint-side tables are rebuilt whole). -#}
{% macro previous_version(relation) -%}
    {{ return(adapter.dispatch('previous_version')(relation)) }}
{%- endmacro %}

{% macro default__previous_version(relation) -%}
    {%- if execute and incremental_since_text() -%}
        {{ return(load_relation(relation)) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__previous_version(relation) -%}
    {{ return(none) }}
{%- endmacro %}

{#- The previous version of the model named `model_name` (as previous_version), for a model that
    runs before it and so cannot ref it: dbt would see a cycle. (A unit test's graph holds no
    nodes: none there, as on a full build.) -#}
{% macro previous_version_of(model_name) -%}
    {%- if execute -%}
        {%- for node in graph.get('nodes', {}).values()
            if node.resource_type == 'model' and node.name == model_name -%}
            {{ return(previous_version(api.Relation.create(
                database=node.database, schema=node.schema, identifier=node.alias
            ))) }}
        {%- endfor -%}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{#- The filter an incremental run puts on a model's events: those of the complaints with an
    event loaded since the last build (nothing on a full build). -#}
{% macro only_complaints_with_new_events(complaint_column) -%}
    {%- if is_incremental() -%}
        {{ complaint_column }} in (
            select complaint_id from {{ ref('stg_raw__complaint_events') }}
            where ingested_at > {{ incremental_since() }}
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- The filter an incremental run puts on a model's complaints: those `redo_model` lists
    (nothing on a full build). -#}
{% macro only_complaints_to_redo(complaint_column, redo_model='int_complaints_to_redo') -%}
    {%- if is_incremental() -%}
        {{ complaint_column }} in (select complaint_id from {{ ref(redo_model) }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- The filter an incremental run puts on a model's order-week rows (nothing on a full build).
    With `instant` (the instant the week is taken from, a stored column), the rows are first
    limited to the instants between the first and the last week to redo, a day wider on each side:
    a computed week cannot skip any stored rows, a range on a stored instant can (DuckDB's zone
    maps, Parquet's row-group statistics), and the order lines are stored roughly in time order.
    The week test then keeps exactly the weeks to redo. -#}
{% macro only_weeks_to_redo(week_column, instant=none) -%}
    {%- if is_incremental() -%}
        {%- set weeks = ref('int_order_weeks_to_redo') -%}
        {%- if instant -%}
        {{ instant }} >= (select {{ add_days(local_midnight('min(order_week)'), -1) }} from {{ weeks }})
        and {{ instant }} < (select {{ add_days(local_midnight('max(order_week)'), 8) }} from {{ weeks }})
        and {% endif -%}
        {{ week_column }} in (select order_week from {{ weeks }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- The newest raw row the last build saw, as ISO text ('' on a full build). The build sets it
    in the environment (flows/build/incremental.py, BuildPlan.dbt_env) and it is read only when dbt
    executes, never while it parses: a value that changes with every run would otherwise make dbt
    parse the whole project again each time. -#}
{% macro incremental_since_text() -%}
    {{ return(env_var('COMPLAINTS_INCREMENTAL_SINCE', '') if execute else '') }}
{%- endmacro %}

{#- The same as an instant literal (null on a full build). -#}
{% macro incremental_since() -%}
    {%- set since = incremental_since_text() -%}
    {%- if since -%}
        cast('{{ since }}' as {{ instant_type() }})
    {%- else -%}
        cast(null as {{ instant_type() }})
    {%- endif -%}
{%- endmacro %}

{#- Incremental by SKU and order week (docs/incremental.md), for the SKU-week rates, the control
    chart, the SKU grading windows and the ranks: a daily run redoes the rows `filter` (a call of
    one of the two filters below, as text) selects and keeps the others. Spark: rebuilt whole, a
    table. -#}
{% macro incremental_by_sku_rows(filter) -%}
    {{ return(adapter.dispatch('incremental_by_sku_rows')(filter)) }}
{%- endmacro %}

{% macro default__incremental_by_sku_rows(filter) -%}
    {{ return(replace_where("{{ " ~ filter ~ " }}")) }}
{%- endmacro %}

{% macro spark__incremental_by_sku_rows(filter) -%}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}

{#- The SKU-week rows an incremental run redoes (sku_id, order_week): those of the weeks
    int_sku_weeks_to_redo lists, and every week of a SKU whose master row, or its merchant's,
    changed; `with_moved_baselines` (the control chart): also every week of a SKU whose baseline
    may have moved (every SKU int_skus_to_redo lists). Nothing is filtered on a full build. -#}
{% macro only_sku_rows_to_redo(with_moved_baselines=false) -%}
    {%- if is_incremental() -%}
        (order_week in (select order_week from {{ ref('int_sku_weeks_to_redo') }})
            or sku_id in (
                select sku_id from {{ ref('int_skus_to_redo') }}
                {%- if not with_moved_baselines %} where has_new_master{% endif %}
            ))
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- The SKU grading windows (and their ranks) an incremental run redoes: every window ending at a
    week int_sku_window_ends_to_redo lists. -#}
{% macro only_sku_window_ends_to_redo() -%}
    {%- if is_incremental() -%}
        window_end_week in (select window_end_week from {{ ref('int_sku_window_ends_to_redo') }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- Incremental from a first week (docs/incremental.md), for the weekly merchant scorecard, whose
    weeks read the weeks before them (trends) and the latest mature week (grades): a daily run
    redoes every week from int_scorecard_weeks_to_redo's from_week on and keeps the earlier ones.
    Spark: rebuilt whole, a table. -#}
{% macro incremental_by_scorecard_week() -%}
    {{ return(adapter.dispatch('incremental_by_scorecard_week')()) }}
{%- endmacro %}

{% macro default__incremental_by_scorecard_week() -%}
    {{ return(replace_where(
        "week_start >= (select from_week from {{ ref('int_scorecard_weeks_to_redo') }})"
    )) }}
{%- endmacro %}

{% macro spark__incremental_by_scorecard_week() -%}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}

{#- The scorecard weeks an incremental run redoes (`week_column` from the first week to redo on),
    and those it reads (from three weeks earlier). Nothing is filtered on a full build. -#}
{% macro only_scorecard_weeks_redone(week_column) -%}
    {{ scorecard_weeks_from(week_column, 'from_week') }}
{%- endmacro %}

{% macro only_scorecard_weeks_read(week_column) -%}
    {{ scorecard_weeks_from(week_column, 'read_from_week') }}
{%- endmacro %}

{% macro scorecard_weeks_from(week_column, first_week) -%}
    {%- if is_incremental() -%}
        {{ week_column }} >= (select {{ first_week }} from {{ ref('int_scorecard_weeks_to_redo') }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
