{#- Weekly merchant scorecard: every merchant x every ISO week in range. Defect figures are by
    order week (cohort attribution), complaint, SLA, money and reopen figures by received week.
    Grade rule (documented in the YAML): the week's defect rate when the week has the minimum
    volume; otherwise the pooled rate of the last 4 weeks when they reach it; otherwise the pooled
    rate of all weeks so far, and then never better than B (too little evidence for an A). -#}
with

merchant_weeks as (
    select * from {{ ref('int_merchant_weeks_spined') }}
),

weekly_rates as (
    select * from {{ ref('merchant_defect_rates_weekly') }}
),

complaints as (
    select * from {{ ref('complaints') }}
),

sla_weekly as (
    select * from {{ ref('sla_compliance_merchant_weekly') }}
),

recurrence as (
    select * from {{ ref('complaint_recurrence') }}
),

build_context as (
    select * from {{ ref('int_build_context') }}
),

received as (
    select
        merchant_id,
        received_week,
        count(*) as n_complaints_received,
        count(case when is_confirmed_defect then 1 end) as n_confirmed_defects_received,
        coalesce(sum(refund_amount), 0) as refund_amount,
        coalesce(sum(compensation_amount), 0) as compensation_amount,
        cast(sum(reopen_count) as bigint) as reopen_count
    from complaints
    where is_counted
    group by merchant_id, received_week
),

issue_counts as (
    select merchant_id, received_week, issue_type, count(*) as n
    from complaints
    where is_counted and issue_type is not null
    group by merchant_id, received_week, issue_type
),

top_issues as (
    select
        merchant_id,
        received_week,
        {{ dbt.listagg("issue_type || ' (' || n || ')'", "', '", 'order by n desc, issue_type', 3) }} as top_issue_types
    from issue_counts
    group by merchant_id, received_week
),

sku_counts as (
    select merchant_id, received_week, sku_id, count(*) as n
    from complaints
    where is_confirmed_defect
    group by merchant_id, received_week, sku_id
),

top_skus as (
    select
        merchant_id,
        received_week,
        {{ dbt.listagg("sku_id || ' (' || n || ')'", "', '", 'order by n desc, sku_id', 3) }} as top_skus
    from sku_counts
    group by merchant_id, received_week
),

sla_stages as (
    select
        merchant_id,
        received_week,
        {%- for stage in sla_stages() %}
        cast(sum(case when stage = '{{ stage }}' then n_measured else 0 end) as bigint) as {{ stage }}_n_measured,
        cast(sum(case when stage = '{{ stage }}' then n_met else 0 end) as bigint) as {{ stage }}_n_met{{ ',' if not loop.last }}
        {%- endfor %}
    from sla_weekly
    group by merchant_id, received_week
),

recurrences as (
    select
        recurrence.merchant_id,
        recurring.received_week,
        count(*) as n_recurrences
    from recurrence
    inner join complaints as recurring
        on recurrence.recurred_by_complaint_id = recurring.complaint_id
    group by recurrence.merchant_id, recurring.received_week
),

joined as (
    select
        merchant_weeks.merchant_id,
        merchant_weeks.merchant_name,
        merchant_weeks.category,
        merchant_weeks.week_start,
        coalesce(weekly_rates.order_lines, 0) as order_lines,
        coalesce(weekly_rates.complaint_lines, 0) as complaint_lines,
        coalesce(weekly_rates.defect_lines, 0) as defect_lines,
        weekly_rates.defect_rate,
        weekly_rates.defect_rate_ci_low,
        weekly_rates.defect_rate_ci_high,
        {{ is_week_mature('merchant_weeks.week_start', 'build_context.as_of') }} as is_mature,
        coalesce(received.n_complaints_received, 0) as n_complaints_received,
        coalesce(received.n_confirmed_defects_received, 0) as n_confirmed_defects_received,
        {%- for stage in sla_stages() %}
        coalesce(sla_stages.{{ stage }}_n_measured, 0) as {{ stage }}_n_measured,
        coalesce(sla_stages.{{ stage }}_n_met, 0) as {{ stage }}_n_met,
        {%- endfor %}
        coalesce(recurrences.n_recurrences, 0) as n_recurrences,
        coalesce(received.refund_amount, 0) as refund_amount,
        coalesce(received.compensation_amount, 0) as compensation_amount,
        coalesce(received.reopen_count, 0) as reopen_count,
        top_issues.top_issue_types,
        top_skus.top_skus
    from merchant_weeks
    cross join build_context
    left join weekly_rates
        on merchant_weeks.merchant_id = weekly_rates.merchant_id
        and merchant_weeks.week_start = weekly_rates.order_week
    left join received
        on merchant_weeks.merchant_id = received.merchant_id
        and merchant_weeks.week_start = received.received_week
    left join sla_stages
        on merchant_weeks.merchant_id = sla_stages.merchant_id
        and merchant_weeks.week_start = sla_stages.received_week
    left join recurrences
        on merchant_weeks.merchant_id = recurrences.merchant_id
        and merchant_weeks.week_start = recurrences.received_week
    left join top_issues
        on merchant_weeks.merchant_id = top_issues.merchant_id
        and merchant_weeks.week_start = top_issues.received_week
    left join top_skus
        on merchant_weeks.merchant_id = top_skus.merchant_id
        and merchant_weeks.week_start = top_skus.received_week
),

trended as (
    select
        *,
        defect_rate - lag(defect_rate) over merchant_weeks_ordered as defect_rate_wow_change,
        case
            when count(defect_rate) over (
                merchant_weeks_ordered rows between 3 preceding and current row
            ) >= 2
                then regr_slope(defect_rate, epoch(cast(week_start as timestamp)) / 604800.0) over (
                    merchant_weeks_ordered rows between 3 preceding and current row
                )
        end as defect_rate_4w_trend,
        sum(order_lines) over (merchant_weeks_ordered rows between 3 preceding and current row)
            as trailing_4w_order_lines,
        sum(defect_lines) over (merchant_weeks_ordered rows between 3 preceding and current row)
            as trailing_4w_defect_lines,
        sum(order_lines) over (merchant_weeks_ordered rows between unbounded preceding and current row)
            as cumulative_order_lines,
        sum(defect_lines) over (merchant_weeks_ordered rows between unbounded preceding and current row)
            as cumulative_defect_lines
    from joined
    window merchant_weeks_ordered as (partition by merchant_id order by week_start)
),

ranked as (
    select
        *,
        median(defect_rate) over (partition by category, week_start) as category_median_defect_rate,
        case when defect_rate is not null
            then percent_rank() over (
                partition by category, week_start, defect_rate is null
                order by defect_rate
            )
        end as defect_rate_percentile
    from trended
),

graded_basis as (
    select
        *,
        case
            when order_lines >= {{ var('min_volume_order_lines') }} then 'week'
            when trailing_4w_order_lines >= {{ var('min_volume_order_lines') }} then 'last_4_weeks'
            when cumulative_order_lines > 0 then 'to_date'
        end as grade_basis,
        case
            when order_lines >= {{ var('min_volume_order_lines') }} then defect_rate
            when trailing_4w_order_lines >= {{ var('min_volume_order_lines') }}
                then trailing_4w_defect_lines * 1.0 / trailing_4w_order_lines
            when cumulative_order_lines > 0 then cumulative_defect_lines * 1.0 / cumulative_order_lines
        end as graded_defect_rate,
        case
            when order_lines >= {{ var('min_volume_order_lines') }} then order_lines
            when trailing_4w_order_lines >= {{ var('min_volume_order_lines') }} then trailing_4w_order_lines
            else cumulative_order_lines
        end as graded_order_lines
    from ranked
),

graded as (
    select
        *,
        case
            when grade_basis = 'to_date' and {{ grade_of('graded_defect_rate') }} = 'A' then 'B'
            else {{ grade_of('graded_defect_rate') }}
        end as grade
    from graded_basis
),

final as (
    select
        merchant_id,
        merchant_name,
        category,
        {{ iso_week_label('week_start') }} as iso_week,
        (order_lines > 0 or n_complaints_received > 0) as has_activity,
        order_lines,
        complaint_lines,
        defect_lines,
        defect_rate,
        defect_rate_ci_low,
        defect_rate_ci_high,
        is_mature,
        n_complaints_received,
        n_confirmed_defects_received,
        category_median_defect_rate,
        defect_rate_percentile,
        {%- for stage in sla_stages() %}
        {{ stage }}_n_measured,
        {{ stage }}_n_met,
        {{ safe_rate(stage ~ '_n_met', stage ~ '_n_measured') }} as {{ stage }}_compliance_rate,
        {%- endfor %}
        {{ safe_rate('merchant_evidence_n_met', 'merchant_evidence_n_measured') }} as merchant_evidence_on_time_rate,
        n_recurrences,
        refund_amount,
        compensation_amount,
        reopen_count,
        defect_rate_wow_change,
        defect_rate_4w_trend,
        grade,
        case
            when grade is null then 'not graded: no order lines yet'
            else 'defect rate ' || printf('%.2f', graded_defect_rate * 100) || '% on '
                || graded_order_lines || ' order lines ('
                || case grade_basis
                    when 'week' then 'this week'
                    when 'last_4_weeks' then 'last 4 weeks pooled: this week is below '
                        || {{ var('min_volume_order_lines') }} || ' lines'
                    else 'all weeks so far pooled: below ' || {{ var('min_volume_order_lines') }}
                        || ' lines, so no better than B'
                end
                || ') is ' || {{ grade_band_text('grade') }} || ' -> ' || grade
        end as grade_rule,
        grade_basis,
        graded_defect_rate,
        graded_order_lines,
        top_issue_types,
        top_skus,
        week_start
    from graded
)

select * from final
