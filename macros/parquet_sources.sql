{#- The sources on an engine without the ingest's DuckDB file (the Spark target): every source
    table of the project registered as an external Parquet table over the tree
    `complaints export-raw` wrote (var "parquet_sources": <dir>/<schema>/<table>/). On DuckDB the
    sources are the warehouse's own tables and this does nothing. Run by on-run-start. -#}
{% macro register_parquet_sources() -%}
    {{ return(adapter.dispatch('register_parquet_sources')()) }}
{%- endmacro %}

{% macro default__register_parquet_sources() -%}
    select 1
{%- endmacro %}

{% macro spark__register_parquet_sources() -%}
    {%- if execute -%}
    {#- Spark 4.3's PushProjectionThroughUnion loses a column of a correlated EXISTS over a
        union of constant rows (key not found: file_id), as in the unit tests' fixtures; the rule
        only prunes columns early, so leaving it out changes no result. -#}
    {%- do run_query('set spark.sql.optimizer.excludedRules='
        ~ 'org.apache.spark.sql.catalyst.optimizer.PushProjectionThroughUnion') -%}
    {%- set root = var('parquet_sources', none) -%}
    {%- if root is none -%}
        {{ exceptions.raise_compiler_error(
            "the spark target reads the Parquet tree of 'complaints export-raw': pass its folder "
            ~ "as var parquet_sources") }}
    {%- endif -%}
    {%- set schemas = [] -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.schema not in schemas -%}
            {%- do schemas.append(node.schema) -%}
            {%- do run_query('create database if not exists ' ~ node.schema) -%}
        {%- endif -%}
        {#- A view over the folder, not a table with a location: Spark discovers the
            partitions (orders by order_month) when it reads the path, a table would need them
            registered in its catalogue first. -#}
        {%- do run_query('drop table if exists ' ~ node.schema ~ '.' ~ node.identifier) -%}
        {%- do run_query('create or replace view ' ~ node.schema ~ '.' ~ node.identifier
            ~ ' as select * from parquet.`' ~ root ~ '/' ~ node.schema ~ '/' ~ node.identifier ~ '`') -%}
    {%- endfor -%}
    {%- endif -%}
    select 1
{%- endmacro %}
