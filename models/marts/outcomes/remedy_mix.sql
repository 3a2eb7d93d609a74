-- Which remedies closed which problems: counted closed complaints per issue type x
-- responsibility x remedy, with the remedy's share of its issue type x responsibility cell.
with

complaints as (
    select * from {{ ref('complaints') }}
),

closed as (
    select
        coalesce(issue_type, 'unclassified') as issue_type,
        coalesce(responsibility, 'undetermined') as responsibility,
        coalesce(remedy, 'none') as remedy
    from complaints
    where is_counted and status = 'closed'
),

counts as (
    select issue_type, responsibility, remedy, count(*) as n_complaints
    from closed
    group by issue_type, responsibility, remedy
),

final as (
    select
        issue_type,
        responsibility,
        remedy,
        n_complaints,
        sum(n_complaints) over (partition by issue_type, responsibility) as n_cell,
        n_complaints * 1.0
            / sum(n_complaints) over (partition by issue_type, responsibility) as share_of_cell
    from counts
)

select * from final
