{#- The rows a data test reads (dbt's `where` config; this project's version of dbt's macro).
    A test configured with `where: __loaded_since_last_build__` reads, on an incremental build,
    only the rows loaded since the last build (`ingested_at` after its watermark), and every row
    on a full build. Only for row-by-row checks (not_null, accepted_values, not_null_columns) of a
    raw staging model: a loaded row is never changed afterwards (a re-delivery inserts new rows),
    and the last build passed the same check on every older row, since a build that fails makes
    the next one full (docs/incremental.md, "Data tests of an incremental build"). Any other
    `where` filters as in dbt. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where == '__loaded_since_last_build__' -%}
        {%- if incremental_since_text() -%}
            {%- do return('(select * from ' ~ relation ~ ' where ingested_at > '
                ~ incremental_since() ~ ') as loaded_since_last_build') -%}
        {%- endif -%}
        {%- do return(relation) -%}
    {%- elif where -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') as dbt_subquery') -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}
