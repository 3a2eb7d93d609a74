-- Buyer satisfaction of surveyed counted complaints, by remedy, by channel and by whether the
-- resolution deadline was met: n surveyed, mean score, and the share scoring 4 or 5 with its
-- Wilson interval. One row per (group_kind, group_value).
with

complaints as (
    select * from {{ ref('complaints') }}
),

surveyed as (
    select
        coalesce(remedy, 'none') as remedy,
        channel,
        resolution_status,
        satisfaction
    from complaints
    where is_counted and satisfaction is not null
),

grouped as (
    select 'remedy' as group_kind, remedy as group_value, satisfaction from surveyed
    union all
    select 'channel' as group_kind, channel as group_value, satisfaction from surveyed
    union all
    select 'resolution_sla' as group_kind, resolution_status as group_value, satisfaction
    from surveyed
    where resolution_status in ('met', 'breached')
),

counts as (
    select
        group_kind,
        group_value,
        count(*) as n_surveyed,
        avg(satisfaction) as mean_satisfaction,
        count(case when satisfaction >= 4 then 1 end) as n_satisfied
    from grouped
    group by group_kind, group_value
),

final as (
    select
        group_kind,
        group_value,
        n_surveyed,
        mean_satisfaction,
        n_satisfied,
        {{ rate_with_interval('n_satisfied', 'n_surveyed', 'share_satisfied') }}
    from counts
)

select * from final
