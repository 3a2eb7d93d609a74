{#- The SQL that differs between the engines the project builds on (DuckDB, Spark): one macro per
    operation, dispatched by adapter type, the implementations side by side. Models and the other
    macros call these (or dbt's cross-database macros) and never an engine's own spelling.
    Instants are DuckDB TIMESTAMPTZ / Spark TIMESTAMP (the Spark session runs in UTC); local
    wall-clock times are DuckDB TIMESTAMP / Spark TIMESTAMP_NTZ. -#}

{#- The SQL type of an instant. -#}
{% macro instant_type() -%}{{ return(adapter.dispatch('instant_type')()) }}{%- endmacro %}
{% macro duckdb__instant_type() -%}timestamptz{%- endmacro %}
{% macro spark__instant_type() -%}timestamp{%- endmacro %}

{#- An instant later than every real one: open deadlines compare before it. -#}
{% macro instant_infinity() -%}{{ return(adapter.dispatch('instant_infinity')()) }}{%- endmacro %}
{% macro duckdb__instant_infinity() -%}cast('infinity' as timestamptz){%- endmacro %}
{% macro spark__instant_infinity() -%}timestamp'9999-12-31 23:59:59.999999Z'{%- endmacro %}

{#- The local (naive) wall-clock time of an instant in zone `tz`. -#}
{% macro instant_to_local(instant, tz) -%}
    {{ return(adapter.dispatch('instant_to_local')(instant, tz)) }}
{%- endmacro %}
{% macro duckdb__instant_to_local(instant, tz) -%}
    timezone('{{ tz }}', {{ instant }})
{%- endmacro %}
{% macro spark__instant_to_local(instant, tz) -%}
    cast(from_utc_timestamp({{ instant }}, '{{ tz }}') as timestamp_ntz)
{%- endmacro %}

{#- The instant of a local (naive) wall-clock time in zone `tz`. -#}
{% macro local_to_instant(local_timestamp, tz) -%}
    {{ return(adapter.dispatch('local_to_instant')(local_timestamp, tz)) }}
{%- endmacro %}
{% macro duckdb__local_to_instant(local_timestamp, tz) -%}
    timezone('{{ tz }}', cast({{ local_timestamp }} as timestamp))
{%- endmacro %}
{% macro spark__local_to_instant(local_timestamp, tz) -%}
    to_utc_timestamp(cast(cast({{ local_timestamp }} as timestamp_ntz) as timestamp), '{{ tz }}')
{%- endmacro %}

{#- The local wall-clock TIMESTAMP of a DATE at a time of day given as 'HH:MM'. -#}
{% macro date_at_time(date_value, hh_mm) -%}
    {{ return(adapter.dispatch('date_at_time')(date_value, hh_mm)) }}
{%- endmacro %}
{% macro duckdb__date_at_time(date_value, hh_mm) -%}
    ({{ date_value }} + cast('{{ hh_mm }}' as time))
{%- endmacro %}
{% macro spark__date_at_time(date_value, hh_mm) -%}
    {%- set parts = hh_mm.split(':') -%}
    (cast({{ date_value }} as timestamp_ntz)
        + make_dt_interval(0, {{ parts[0] | int }}, {{ parts[1] | int }}, 0))
{%- endmacro %}

{#- Microseconds since the Unix epoch of an instant. -#}
{% macro epoch_us(instant) -%}{{ return(adapter.dispatch('epoch_us')(instant)) }}{%- endmacro %}
{% macro duckdb__epoch_us(instant) -%}epoch_us({{ instant }}){%- endmacro %}
{% macro spark__epoch_us(instant) -%}unix_micros({{ instant }}){%- endmacro %}

{#- Seconds since the Unix epoch of a DATE's midnight (UTC wall clock: a pure day count). -#}
{% macro date_epoch_seconds(date_value) -%}
    {{ return(adapter.dispatch('date_epoch_seconds')(date_value)) }}
{%- endmacro %}
{% macro duckdb__date_epoch_seconds(date_value) -%}
    epoch(cast({{ date_value }} as timestamp))
{%- endmacro %}
{% macro spark__date_epoch_seconds(date_value) -%}
    cast(unix_date({{ date_value }}) as double) * 86400.0
{%- endmacro %}

{#- An instant moved by a whole number of microseconds (BIGINT). -#}
{% macro instant_plus_us(instant, microseconds) -%}
    {{ return(adapter.dispatch('instant_plus_us')(instant, microseconds)) }}
{%- endmacro %}
{% macro duckdb__instant_plus_us(instant, microseconds) -%}
    ({{ instant }} + to_microseconds({{ microseconds }}))
{%- endmacro %}
{% macro spark__instant_plus_us(instant, microseconds) -%}
    timestamp_micros(unix_micros({{ instant }}) + ({{ microseconds }}))
{%- endmacro %}

{#- ISO 8601 week label like 2026-W01 of a DATE (the ISO year is that of the week's Thursday). -#}
{% macro iso_week_label(week_date) -%}
    {{ return(adapter.dispatch('iso_week_label')(week_date)) }}
{%- endmacro %}
{% macro duckdb__iso_week_label(week_date) -%}
    strftime({{ week_date }}, '%G-W%V')
{%- endmacro %}
{% macro spark__iso_week_label(week_date) -%}
    concat(
        cast(year(date_add({{ week_date }}, 3 - weekday({{ week_date }}))) as string), '-W',
        lpad(cast(weekofyear({{ week_date }}) as string), 2, '0')
    )
{%- endmacro %}

{#- Whole weeks from one Monday to another. -#}
{% macro weeks_between(from_monday, to_monday) -%}
    {{ return(adapter.dispatch('weeks_between')(from_monday, to_monday)) }}
{%- endmacro %}
{% macro duckdb__weeks_between(from_monday, to_monday) -%}
    date_diff('week', {{ from_monday }}, {{ to_monday }})
{%- endmacro %}
{% macro spark__weeks_between(from_monday, to_monday) -%}
    cast(floor(datediff({{ to_monday }}, {{ from_monday }}) / 7) as bigint)
{%- endmacro %}

{#- Every 7th DATE from one DATE to another inclusive, as rows of column `week_start`. -#}
{% macro week_spine(start_week, end_week) -%}
    {{ return(adapter.dispatch('week_spine')(start_week, end_week)) }}
{%- endmacro %}
{% macro duckdb__week_spine(start_week, end_week) -%}
    select cast(unnest(generate_series(
        cast({{ start_week }} as timestamp), cast({{ end_week }} as timestamp), interval 7 day
    )) as date) as week_start
{%- endmacro %}
{% macro spark__week_spine(start_week, end_week) -%}
    select explode(sequence(
        cast({{ start_week }} as date), cast({{ end_week }} as date), interval 7 day
    )) as week_start
{%- endmacro %}

{#- One row per element of a list column (a select-list item; no row for an empty list). -#}
{% macro unnest_list(list_column) -%}
    {{ return(adapter.dispatch('unnest_list')(list_column)) }}
{%- endmacro %}
{% macro duckdb__unnest_list(list_column) -%}unnest({{ list_column }}){%- endmacro %}
{% macro spark__unnest_list(list_column) -%}explode({{ list_column }}){%- endmacro %}

{#- One row per integer 0 .. k - 1 (a select-list item; none when k <= 0). -#}
{% macro integers_below(k) -%}
    {{ return(adapter.dispatch('integers_below')(k)) }}
{%- endmacro %}
{% macro duckdb__integers_below(k) -%}
    unnest(range(cast({{ k }} as bigint)))
{%- endmacro %}
{% macro spark__integers_below(k) -%}
    explode(case when {{ k }} > 0
        then sequence(cast(0 as bigint), cast({{ k }} as bigint) - 1)
        else array() end)
{%- endmacro %}

{#- The sum over integers i = lo .. hi - 1 of an expression in `i` (DOUBLE). -#}
{% macro sum_over_range(lo, hi, expression_of_i) -%}
    {{ return(adapter.dispatch('sum_over_range')(lo, hi, expression_of_i)) }}
{%- endmacro %}
{% macro duckdb__sum_over_range(lo, hi, expression_of_i) -%}
    list_sum(list_transform(range({{ lo }}, {{ hi }}), lambda i: {{ expression_of_i }}))
{%- endmacro %}
{% macro spark__sum_over_range(lo, hi, expression_of_i) -%}
    aggregate(
        transform(sequence({{ lo }}, ({{ hi }}) - 1), i -> cast({{ expression_of_i }} as double)),
        cast(0 as double), (total, term) -> total + term
    )
{%- endmacro %}

{#- A left join to the row of `right` with the greatest `right_key` such that
    `left_expression <op> right.right_key` holds (op >= or >), `right_key` increasing along the
    rows and `right_next_key` the next row's key (null on the last): DuckDB's ASOF join; a range
    join on engines without one. -#}
{% macro asof_left_join(right, left_expression, op, right_key, right_next_key) -%}
    {{ return(adapter.dispatch('asof_left_join')(right, left_expression, op, right_key, right_next_key)) }}
{%- endmacro %}
{% macro duckdb__asof_left_join(right, left_expression, op, right_key, right_next_key) -%}
    asof left join {{ right }}
        on {{ left_expression }} {{ op }} {{ right }}.{{ right_key }}
{%- endmacro %}
{% macro spark__asof_left_join(right, left_expression, op, right_key, right_next_key) -%}
    left join {{ right }}
        on {{ left_expression }} {{ op }} {{ right }}.{{ right_key }}
        and ({{ right }}.{{ right_next_key }} is null
            or not ({{ left_expression }} {{ op }} {{ right }}.{{ right_next_key }}))
{%- endmacro %}

{#- ln(Gamma(x)) for x >= 1 (the binomial and Poisson terms). DuckDB has lgamma; elsewhere the
    Lanczos approximation (g = 7, 9 terms; relative error below 1e-15). -#}
{% macro lgamma(x) -%}{{ return(adapter.dispatch('lgamma')(x)) }}{%- endmacro %}
{% macro duckdb__lgamma(x) -%}lgamma({{ x }}){%- endmacro %}
{% macro spark__lgamma(x) -%}
    {%- set z = '((' ~ x ~ ') - 1.0)' -%}
    {%- set coefficients = [
        676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7
    ] -%}
    (0.91893853320467274 + ({{ z }} + 0.5) * ln({{ z }} + 7.5) - ({{ z }} + 7.5)
        + ln(0.99999999999980993
        {%- for c in coefficients %} + ({{ c }}) / ({{ z }} + {{ loop.index }}.0){% endfor %}))
{%- endmacro %}

{#- An instant as ISO 8601 text with microseconds and the session zone's offset (a row key). -#}
{% macro instant_key_text(instant) -%}
    {{ return(adapter.dispatch('instant_key_text')(instant)) }}
{%- endmacro %}
{% macro duckdb__instant_key_text(instant) -%}
    strftime({{ instant }}, '%Y-%m-%dT%H:%M:%S.%f%z')
{%- endmacro %}
{% macro spark__instant_key_text(instant) -%}
    date_format({{ instant }}, "yyyy-MM-dd'T'HH:mm:ss.SSSSSSx")
{%- endmacro %}

{#- Fractional literals. DuckDB reads 1.0 as a DECIMAL that any division turns into DOUBLE, so
    rates, intervals and tests compute in DOUBLE; Spark keeps DECIMAL through division with a
    bounded scale (a Wilson bound then drifts by 1e-7). The SQL a model or view creates on Spark
    has its fractional literals (outside quoted strings and comments) typed DOUBLE (1.0 ->
    1.0D), so both engines compute the same doubles; decimal_literal keeps a literal exact
    (money). -#}
{% macro double_literals(sql) -%}
    {{ return(adapter.dispatch('double_literals')(sql)) }}
{%- endmacro %}
{% macro decimal_literal(value) -%}
    {{ return(adapter.dispatch('decimal_literal')(value)) }}
{%- endmacro %}
{% macro duckdb__decimal_literal(value) -%}{{ value }}{%- endmacro %}
{% macro spark__decimal_literal(value) -%}{{ value }}BD{%- endmacro %}

{% macro duckdb__double_literals(sql) -%}{{ return(sql) }}{%- endmacro %}
{% macro spark__double_literals(sql) -%}
    {#- Quoted strings and comments (which may hold an apostrophe) are kept as they are. -#}
    {%- set parts = modules.re.split("('(?:[^']|'')*'|--[^\n]*|/\*[\s\S]*?\*/)", sql) -%}
    {%- set out = [] -%}
    {%- for part in parts -%}
        {%- if loop.index is even -%}
            {%- do out.append(part) -%}
        {%- else -%}
            {%- do out.append(modules.re.sub("(?<![\\w.])(\\d+\\.\\d+)(?![\\w.])", "\\1D", part)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(out | join('')) }}
{%- endmacro %}

{#- dbt-spark's create_table_as / create_view_as (the table and view materializations) with
    Spark's literal typing applied first; dbt-spark's own implementation does the rest. -#}
{% macro spark__create_table_as(temporary, relation, compiled_code, language='sql') -%}
    {%- if language == 'sql' -%}
        {%- set compiled_code = double_literals(compiled_code) -%}
    {%- endif -%}
    {{ return(dbt.spark__create_table_as(temporary, relation, compiled_code, language)) }}
{%- endmacro %}

{% macro spark__create_view_as(relation, sql) -%}
    {{ return(dbt.spark__create_view_as(relation, double_literals(sql))) }}
{%- endmacro %}

{#- dbt's unit test query with Spark's literal typing, as the tested model's table gets it in
    create_table_as (otherwise 2.0002777777778, a DECIMAL, where the model computes a DOUBLE). -#}
{% macro spark__get_unit_test_sql(main_sql, expected_fixture_sql, expected_column_names) -%}
    {{ return(dbt.default__get_unit_test_sql(double_literals(main_sql), expected_fixture_sql,
        expected_column_names)) }}
{%- endmacro %}

{#- dbt's listagg with its order_by_clause honoured on Spark (dbt-spark's own drops it with a
    warning, so "top 3 by count" came out in arbitrary order): the values are collected with
    their sort keys and sorted by a comparator built from the clause ("order by a desc, b"). -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- set keys = [] -%}
    {%- if order_by_clause -%}
        {%- set clause = modules.re.sub('(?i)^\\s*order\\s+by\\s+', '', order_by_clause) -%}
        {%- for term in clause.split(',') -%}
            {%- set words = term.strip().split() -%}
            {%- set descending = words[-1] | lower == 'desc' -%}
            {%- set expression = (words[:-1] if words[-1] | lower in ['asc', 'desc'] else words) | join(' ') -%}
            {%- do keys.append({'expression': expression, 'descending': descending}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set fields = [] -%}
    {%- for key in keys -%}
        {%- do fields.append("'k" ~ loop.index ~ "', " ~ key.expression) -%}
    {%- endfor -%}
    {%- do fields.append("'v', " ~ measure) -%}
    {%- set collected -%}
        array_sort(collect_list(named_struct({{ fields | join(', ') }})), (l, r) -> case
        {%- for key in keys %}
            when l.k{{ loop.index }} < r.k{{ loop.index }} then {{ 1 if key.descending else -1 }}
            when l.k{{ loop.index }} > r.k{{ loop.index }} then {{ -1 if key.descending else 1 }}
        {%- endfor %}
            else 0 end)
    {%- endset -%}
    {%- set values = 'transform(' ~ collected ~ ', x -> x.v)' -%}
    {%- if limit_num -%}
        {%- set values = 'slice(' ~ values ~ ', 1, ' ~ limit_num ~ ')' -%}
    {%- endif -%}
    {{ return('array_join(' ~ values ~ ', ' ~ delimiter_text ~ ')') }}
{%- endmacro %}

{#- The p-quantile of a numeric column by linear interpolation between the closest ranks
    (DuckDB's quantile_cont, Spark's exact percentile; nulls ignored). -#}
{% macro quantile_cont(expression, p) -%}
    {{ return(adapter.dispatch('quantile_cont')(expression, p)) }}
{%- endmacro %}
{% macro duckdb__quantile_cont(expression, p) -%}quantile_cont({{ expression }}, {{ p }}){%- endmacro %}
{% macro spark__quantile_cont(expression, p) -%}percentile({{ expression }}, {{ p }}){%- endmacro %}

{#- An import CTE read more than once, inlined at each use. DuckDB materialises a CTE referenced
    twice (every row and column of the relation, before any filter or join can prune it): for the
    order lines that was most of a model's time (at 10M: int_order_weeks_to_redo 1.1 -> 0.03 s,
    dq_orphans 0.77 -> 0.28 s).
    Spark inlines CTEs anyway. -#}
{% macro inlined() -%}{{ return(adapter.dispatch('inlined')()) }}{%- endmacro %}
{% macro duckdb__inlined() -%}not materialized{%- endmacro %}
{% macro spark__inlined() -%}{%- endmacro %}
