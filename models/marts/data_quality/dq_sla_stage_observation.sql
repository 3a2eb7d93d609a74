{#- Per channel x SLA stage: whether the loaded data ever shows the stage's completing event. A
    measured stage that is never observed is a data-quality warning: the platform does not record
    it on that channel, so its complaints are not_observed there instead of breached. -#}
with

observed_stages as (
    select * from {{ ref('int_sla_stages_observed') }}
),

targets as (
    {{ sla_targets_values() }}
),

final as (
    select
        observed_stages.channel,
        observed_stages.stage,
        observed_stages.n_complaints,
        observed_stages.n_completed,
        observed_stages.is_observed,
        targets.target_hours is not null as is_targeted,
        targets.target_hours is not null and not observed_stages.is_observed as is_warning
    from observed_stages
    left join targets
        on observed_stages.stage = targets.stage
        and observed_stages.channel = targets.channel
)

select * from final
