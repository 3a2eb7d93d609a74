{#- Recurrences per merchant and week, counted in the recurring complaint's received week: the
    scorecard's figure, and what its week list compares with the stored scorecard (a table rebuilt
    each run; one join of the recurrences with the complaints). -#}
with

recurrence as (
    select * from {{ ref('complaint_recurrence') }}
),

complaints as (
    select * from {{ ref('complaints') }}
),

per_week as (
    select
        recurrence.merchant_id,
        recurring.received_week,
        count(*) as n_recurrences
    from recurrence
    inner join complaints as recurring
        on recurrence.recurred_by_complaint_id = recurring.complaint_id
    group by recurrence.merchant_id, recurring.received_week
)

select * from per_week
