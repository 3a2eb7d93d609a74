{#- Weekly merchant scorecard: every merchant x every ISO week in range. Defect figures are by
    order week (cohort attribution), complaint, SLA, money and reopen figures by received week; an
    immature week's figures are provisional (is_mature = false). The grade, rank and percentile
    are never the week's own: they come from the mature grading window ending at the earlier of
    this week and the latest mature week (marts.merchant_grades), so the latest week's card shows
    this week's provisional numbers next to the mature grade with its window dates.
    Incremental (DuckDB): a daily run redoes the weeks from int_scorecard_weeks_to_redo's
    from_week on, reading from three weeks earlier for the trends (docs/incremental.md). -#}
{{ config(**incremental_by_scorecard_week()) }}
-- depends_on: {{ ref('int_scorecard_weeks_to_redo') }}
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

recurrences as (
    select * from {{ ref('int_merchant_week_recurrences') }}
),

grades as (
    select * from {{ ref('merchant_grades') }}
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
        and {{ only_scorecard_weeks_read('received_week') }}
    group by merchant_id, received_week
),

issue_counts as (
    select merchant_id, received_week, issue_type, count(*) as n
    from complaints
    where is_counted and issue_type is not null
        and {{ only_scorecard_weeks_read('received_week') }}
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
        and {{ only_scorecard_weeks_read('received_week') }}
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
    where {{ only_scorecard_weeks_read('received_week') }}
    group by merchant_id, received_week
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
    where {{ only_scorecard_weeks_read('merchant_weeks.week_start') }}
),

trended as (
    select
        *,
        defect_rate - lag(defect_rate) over merchant_weeks_ordered as defect_rate_wow_change,
        case
            when count(defect_rate) over merchant_last_4_weeks >= 2
                then regr_slope(defect_rate, {{ date_epoch_seconds('week_start') }} / 604800.0)
                    over merchant_last_4_weeks
        end as defect_rate_4w_trend
    from joined
    -- Frames written in the named windows: Spark cannot refine a named window in OVER.
    window
        merchant_weeks_ordered as (partition by merchant_id order by week_start),
        merchant_last_4_weeks as (
            partition by merchant_id order by week_start
            rows between 3 preceding and current row
        )
),

ranked as (
    select
        *,
        median(defect_rate) over (partition by category, week_start) as category_median_defect_rate
    from trended
),

last_mature as (
    select max(window_end_week) as last_mature_week
    from grades
    where is_latest_window
),

{#- The grading window of each scorecard week: the one ending at the week itself once it is
    mature, else at the latest mature week. -#}
graded as (
    select
        ranked.*,
        last_mature.last_mature_week,
        grades.window_start_week as grade_window_start_week,
        grades.window_end_week as grade_window_end_week,
        grades.grade_status,
        grades.grade,
        grades.defect_rate as graded_defect_rate,
        grades.order_lines as graded_order_lines,
        grades.shrunk_defect_rate,
        grades.category_rank,
        grades.n_ranked_in_category,
        case when grades.n_ranked_in_category > 1
            then 1.0 - (grades.category_rank - 1) * 1.0 / (grades.n_ranked_in_category - 1)
            when grades.n_ranked_in_category = 1 then 0.0
        end as defect_rate_percentile
    from ranked
    cross join last_mature
    left join grades
        on ranked.merchant_id = grades.merchant_id
        and grades.window_end_week = least(ranked.week_start, last_mature.last_mature_week)
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
        coalesce(grade_status, case when last_mature_week is null then 'no_mature_weeks' else 'insufficient_volume' end)
            as grade_status,
        {#- What explains the grade (worded by the reader's language in flows/formatting.py): the
            mature order weeks judged, whether or not they sufficed for a grade; none before the
            first mature week (DuckDB's least() skips a null, hence the case). -#}
        case when last_mature_week is not null then
            {{ iso_week_label('coalesce(grade_window_start_week, least(week_start, last_mature_week) - ' ~ (7 * (var('grade_window_weeks') | int - 1)) ~ ')') }}
        end as grade_basis_start_iso_week,
        case when last_mature_week is not null then
            {{ iso_week_label('least(week_start, last_mature_week)') }}
        end as grade_basis_end_iso_week,
        {{ grade_threshold_of('grade') }} as grade_threshold,
        cast({{ var('min_volume_order_lines') }} as bigint) as grade_min_order_lines,
        case when grade is not null then 'mature_window' end as grade_basis,
        graded_defect_rate,
        graded_order_lines,
        {{ iso_week_label('grade_window_start_week') }} as grade_window_start_iso_week,
        {{ iso_week_label('grade_window_end_week') }} as grade_window_end_iso_week,
        shrunk_defect_rate,
        category_rank,
        n_ranked_in_category,
        top_issue_types,
        top_skus,
        week_start
    from graded
    where {{ only_scorecard_weeks_redone('week_start') }}
)

select * from final
