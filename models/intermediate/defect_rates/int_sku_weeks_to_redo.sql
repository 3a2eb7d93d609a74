{#- The order weeks an incremental build redoes in the SKU-week models (docs/incremental.md): the
    order weeks to redo, and the weeks whose maturity changed with the reference time. Maturity is
    read from int_sku_weeks_aggregated before this build redoes it (that model runs after this
    one: it reads this list). Empty on a full build. -#}
{%- set weeks_before = previous_version_of('int_sku_weeks_aggregated') %}
with

order_weeks_to_redo as (
    select * from {{ ref('int_order_weeks_to_redo') }}
),

build_context as (
    select * from {{ ref('int_build_context') }}
),

{%- if weeks_before %}

maturity_before as (
    select distinct order_week, is_mature
    from {{ weeks_before }}
),

matured as (
    select maturity_before.order_week
    from maturity_before
    cross join build_context
    where maturity_before.is_mature
        <> {{ is_week_mature('maturity_before.order_week', 'build_context.as_of') }}
),
{%- endif %}

weeks as (
    select order_week from order_weeks_to_redo
    {%- if weeks_before %}
    union
    select order_week from matured
    {%- endif %}
)

select order_week from weeks
