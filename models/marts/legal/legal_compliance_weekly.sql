-- Merchant x received week x channel: closed complaints checked against the buyer's legal
-- entitlements, how many fell below, per rule, with the below-entitlement rate and its Wilson
-- interval over the complaints that had an entitlement. Counts re-aggregate by summing.
{{ config(**incremental_by_received_week()) }}
-- depends_on: {{ ref('int_received_weeks_to_redo') }}
with

checks as (
    select * from {{ ref('legal_entitlement_checks') }}
    where {{ only_received_weeks_to_redo('received_week') }}
),

counts as (
    select
        merchant_id,
        received_week,
        channel,
        max(merchant_name) as merchant_name,
        max(category) as category,
        count(*) as n_checked,
        count(case when has_entitlement then 1 end) as n_entitled,
        count(case when is_below_entitlement then 1 end) as n_below,
        count(case when is_accepted_lower then 1 end) as n_lower_accepted,
        count(case when is_rejected_in_window then 1 end) as n_rejected_in_window,
        {%- for rule in legal_rules() %}
        count(case when
            {%- if rule == 'counterfeit_compensation' %} is_compensation_below
            {%- else %} is_remedy_below and remedy_rule = '{{ rule }}'
            {%- endif %} then 1 end) as n_below_{{ rule }},
        {%- endfor %}
        coalesce(sum(compensation_shortfall), 0) as compensation_shortfall
    from checks
    group by merchant_id, received_week, channel
),

final as (
    select
        merchant_id,
        merchant_name,
        category,
        channel,
        n_checked,
        n_entitled,
        n_below,
        n_lower_accepted,
        n_rejected_in_window,
        {%- for rule in legal_rules() %}
        n_below_{{ rule }},
        {%- endfor %}
        compensation_shortfall,
        {{ rate_with_interval('n_below', 'n_entitled', 'below_rate') }},
        {{ iso_week_label('received_week') }} as iso_week,
        received_week
    from counts
)

select * from final
