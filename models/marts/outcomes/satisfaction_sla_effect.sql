-- Does meeting the resolution deadline change satisfaction? Per channel and for all channels:
-- mean satisfaction of surveyed counted complaints whose resolution stage was breached minus
-- that of those met, with a 95 % interval (Welch's normal approximation: difference ± z x
-- sqrt(var_b / n_b + var_m / n_m), z the 97.5 % normal quantile); null with fewer than 2 on a
-- side.
with

complaints as (
    select * from {{ ref('complaints') }}
),

surveyed as (
    select channel, resolution_status, satisfaction
    from complaints
    where is_counted and satisfaction is not null
        and resolution_status in ('met', 'breached')
),

-- Per channel, then all channels as an aggregate without GROUP BY: one row even when no
-- complaint was surveyed. (A grand total by GROUPING SETS ((channel), ()) is a row on DuckDB but
-- none on Spark when the input is empty.)
per_channel as (
    select
        coalesce(channel, 'all') as channel,
        count(case when resolution_status = 'met' then 1 end) as n_met,
        avg(case when resolution_status = 'met' then satisfaction end) as mean_met,
        var_samp(case when resolution_status = 'met' then satisfaction end) as var_met,
        count(case when resolution_status = 'breached' then 1 end) as n_breached,
        avg(case when resolution_status = 'breached' then satisfaction end) as mean_breached,
        var_samp(case when resolution_status = 'breached' then satisfaction end) as var_breached
    from surveyed
    group by channel
),

all_channels as (
    select
        'all' as channel,
        count(case when resolution_status = 'met' then 1 end) as n_met,
        avg(case when resolution_status = 'met' then satisfaction end) as mean_met,
        var_samp(case when resolution_status = 'met' then satisfaction end) as var_met,
        count(case when resolution_status = 'breached' then 1 end) as n_breached,
        avg(case when resolution_status = 'breached' then satisfaction end) as mean_breached,
        var_samp(case when resolution_status = 'breached' then satisfaction end) as var_breached
    from surveyed
),

per_group as (
    select * from per_channel
    union all
    select * from all_channels
),

with_difference as (
    select
        *,
        mean_breached - mean_met as difference,
        case when n_met >= 2 and n_breached >= 2
            then sqrt(var_breached / n_breached + var_met / n_met)
        end as difference_se
    from per_group
),

final as (
    select
        channel,
        n_met,
        mean_met,
        n_breached,
        mean_breached,
        difference,
        difference - {{ wilson_z() }} * difference_se as difference_ci_low,
        difference + {{ wilson_z() }} * difference_se as difference_ci_high
    from with_difference
)

select * from final
