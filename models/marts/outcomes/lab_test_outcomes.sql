-- Lab tests per SKU category (and 'all'): how many counted complaints went to a lab (rate with
-- its Wilson interval), how long results took (median and 90th percentile, calendar and working
-- hours, over completed tests) and what they led to (the complaint's classification after the
-- test; rules: int_lab_tests). One row per category_l1, plus category_l1 = 'all'.
with

complaints as (
    select * from {{ ref('complaints') }}
),

lab_tests as (
    select * from {{ ref('int_lab_tests') }}
),

complaint_counts as (
    select
        case when grouping(coalesce(category_l1, 'unknown')) = 1 then 'all'
            else coalesce(category_l1, 'unknown') end as category_l1,
        count(*) as n_complaints
    from complaints
    where is_counted
    group by grouping sets ((coalesce(category_l1, 'unknown')), ())
),

test_counts as (
    select
        case when grouping(category_l1) = 1 then 'all' else category_l1 end as category_l1,
        count(distinct complaint_id) as n_lab_tested,
        count(*) as n_lab_tests,
        count(case when is_completed then 1 end) as n_completed,
        count(case when outcome = 'awaiting_result' then 1 end) as n_awaiting_result,
        count(case when outcome = 'defect_confirmed' then 1 end) as n_defect_confirmed,
        count(case when outcome = 'not_confirmed' then 1 end) as n_not_confirmed,
        count(case when outcome = 'unclassified' then 1 end) as n_unclassified,
        {{ quantile_cont("turnaround_hours", 0.5) }} as turnaround_hours_median,
        {{ quantile_cont("turnaround_hours", 0.9) }} as turnaround_hours_p90,
        {{ quantile_cont("turnaround_working_hours", 0.5) }} as turnaround_working_hours_median,
        {{ quantile_cont("turnaround_working_hours", 0.9) }} as turnaround_working_hours_p90
    from lab_tests
    group by grouping sets ((category_l1), ())
),

joined as (
    select
        complaint_counts.category_l1,
        complaint_counts.n_complaints,
        coalesce(test_counts.n_lab_tested, 0) as n_lab_tested,
        coalesce(test_counts.n_lab_tests, 0) as n_lab_tests,
        coalesce(test_counts.n_completed, 0) as n_completed,
        coalesce(test_counts.n_awaiting_result, 0) as n_awaiting_result,
        coalesce(test_counts.n_defect_confirmed, 0) as n_defect_confirmed,
        coalesce(test_counts.n_not_confirmed, 0) as n_not_confirmed,
        coalesce(test_counts.n_unclassified, 0) as n_unclassified,
        test_counts.turnaround_hours_median,
        test_counts.turnaround_hours_p90,
        test_counts.turnaround_working_hours_median,
        test_counts.turnaround_working_hours_p90
    from complaint_counts
    left join test_counts
        on complaint_counts.category_l1 = test_counts.category_l1
),

final as (
    select
        category_l1,
        n_complaints,
        n_lab_tested,
        {{ rate_with_interval('n_lab_tested', 'n_complaints', 'lab_test_rate') }},
        n_lab_tests,
        n_completed,
        n_awaiting_result,
        turnaround_hours_median,
        turnaround_hours_p90,
        turnaround_working_hours_median,
        turnaround_working_hours_p90,
        n_defect_confirmed,
        n_not_confirmed,
        n_unclassified,
        {{ rate_with_interval('n_defect_confirmed', 'n_completed', 'defect_confirmed_share') }}
    from joined
)

select * from final
