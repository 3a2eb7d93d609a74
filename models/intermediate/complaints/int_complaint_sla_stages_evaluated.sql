{#- One row per complaint x SLA stage with its target, deadline, elapsed time and status
    (data contract, "SLA stages"). Only counted complaints are measured: a withdrawn complaint's
    status is null. A stage whose target is unset for the channel is not_applicable; one whose
    completing event no complaint of the channel ever shows is not_observed (the platform does not
    record it there), never breached. Incremental by complaint (macros/incremental.sql): a daily
    run redoes the complaints int_complaints_to_reevaluate lists. -#}
{{ config(**incremental_by_complaint('int_complaints_to_reevaluate')) }}
-- depends_on: {{ ref('int_complaints_to_reevaluate') }}
with

complaints as (
    select * from {{ ref('int_complaints_enriched') }}
    where {{ only_complaints_to_redo('complaint_id', 'int_complaints_to_reevaluate') }}
),

milestones as (
    select * from {{ ref('int_complaint_events_pivoted') }}
),

build_context as (
    select * from {{ ref('int_build_context') }}
),

observed_stages as (
    select * from {{ ref('int_sla_stages_observed') }}
),

targets as (
    {{ sla_targets_values() }}
),

{#- A timestamp a profile default supplied (assumed) is used only when no observed one exists;
    the *_is_assumed flags then make the stages resting on it not_observed. -#}
complaint_timeline as (
    select
        complaints.complaint_id,
        complaints.channel,
        complaints.is_counted,
        case
            when milestones.received_event_at is not null
                and not coalesce(milestones.received_event_is_assumed, false)
                then milestones.received_event_at
            when not coalesce(complaints.received_at_is_assumed, false)
                then coalesce(complaints.received_at, milestones.received_event_at)
            else coalesce(milestones.received_event_at, complaints.received_at)
        end as first_received_at,
        (milestones.received_event_at is null
            or coalesce(milestones.received_event_is_assumed, false))
            and coalesce(complaints.received_at_is_assumed, false) as received_is_assumed,
        milestones.acknowledged_at,
        coalesce(milestones.acknowledged_is_assumed, false) as acknowledged_is_assumed,
        milestones.merchant_notified_at,
        coalesce(milestones.merchant_notified_is_assumed, false) as merchant_notified_is_assumed,
        milestones.merchant_evidence_at,
        coalesce(milestones.merchant_evidence_is_assumed, false) as merchant_evidence_is_assumed,
        coalesce(
            milestones.remedy_executed_at,
            milestones.closed_after_last_reopen_at,
            case when complaints.status in ('resolved', 'closed') then complaints.updated_at end
        ) as resolved_at,
        case
            when milestones.remedy_executed_at is not null
                then coalesce(milestones.remedy_executed_is_assumed, false)
            when milestones.closed_after_last_reopen_at is not null
                then coalesce(milestones.closed_after_last_reopen_is_assumed, false)
            when complaints.status in ('resolved', 'closed')
                then coalesce(complaints.updated_at_is_assumed, false)
                    or coalesce(complaints.status_is_assumed, false)
            else false
        end as resolved_is_assumed
    from complaints
    left join milestones
        on complaints.complaint_id = milestones.complaint_id
),

stage_spans as (
    select complaint_id, channel, is_counted, resolved_at, resolved_is_assumed,
        'acknowledge' as stage, first_received_at as start_at, acknowledged_at as done_at,
        received_is_assumed as start_is_assumed, acknowledged_is_assumed as done_is_assumed
    from complaint_timeline
    union all
    select complaint_id, channel, is_counted, resolved_at, resolved_is_assumed,
        'merchant_notified' as stage, first_received_at as start_at, merchant_notified_at as done_at,
        received_is_assumed as start_is_assumed, merchant_notified_is_assumed as done_is_assumed
    from complaint_timeline
    union all
    select complaint_id, channel, is_counted, resolved_at, resolved_is_assumed,
        'merchant_evidence' as stage, merchant_notified_at as start_at, merchant_evidence_at as done_at,
        merchant_notified_is_assumed as start_is_assumed,
        merchant_evidence_is_assumed as done_is_assumed
    from complaint_timeline
    union all
    select complaint_id, channel, is_counted, resolved_at, resolved_is_assumed,
        'resolution' as stage, first_received_at as start_at, resolved_at as done_at,
        received_is_assumed as start_is_assumed, resolved_is_assumed as done_is_assumed
    from complaint_timeline
),

working_intervals as (
    select * from {{ ref('int_working_intervals') }}
),

with_targets as (
    select
        stage_spans.*,
        targets.target_value,
        targets.target_unit,
        targets.target_hours,
        build_context.as_of,
        coalesce(observed_stages.is_observed, false) as is_observed
    from stage_spans
    cross join build_context
    left join targets
        on stage_spans.stage = targets.stage
        and stage_spans.channel = targets.channel
    left join observed_stages
        on stage_spans.stage = observed_stages.stage
        and stage_spans.channel = observed_stages.channel
),

{#- Working time: W(t) = working microseconds before instant t on the calendar. The deadline is
    the first instant with W = W(start) + target; elapsed working time is W(done) - W(start). -#}
working_spans as (
    select
        complaint_id,
        stage,
        start_at,
        done_at,
        cast(round(target_hours * 3600000000.0) as bigint) as target_us
    from with_targets
    where target_unit in ('working_hours', 'working_days')
        and start_at is not null
),

working_starts as (
    select
        working_spans.*,
        {{ working_position('working_spans.start_at', 'working_intervals') }} as start_position_us
    from working_spans
    {{ asof_left_join(
        'working_intervals', 'working_spans.start_at', '>=', 'work_start_at', 'next_work_start_at'
    ) }}
),

working_deadlines as (
    select
        working_starts.*,
        case
            when working_starts.start_position_us + working_starts.target_us
                <= working_intervals.cum_end_us
                then {{ instant_plus_us(
                    'working_intervals.work_start_at',
                    'working_starts.start_position_us + working_starts.target_us
                    - working_intervals.cum_start_us'
                ) }}
        end as working_deadline_at
    from working_starts
    {{ asof_left_join(
        'working_intervals',
        '(working_starts.start_position_us + working_starts.target_us)',
        '>', 'cum_start_us', 'next_cum_start_us'
    ) }}
),

working_elapsed as (
    select
        working_deadlines.complaint_id,
        working_deadlines.stage,
        working_deadlines.working_deadline_at,
        case when working_deadlines.done_at is not null then
            ({{ working_position('working_deadlines.done_at', 'working_intervals') }}
                - working_deadlines.start_position_us) / 3600000000.0
        end as elapsed_working_hours
    from working_deadlines
    {{ asof_left_join(
        'working_intervals', 'working_deadlines.done_at', '>=', 'work_start_at', 'next_work_start_at'
    ) }}
),

with_deadlines as (
    select
        with_targets.*,
        case
            when with_targets.target_unit = 'calendar_hours' and with_targets.start_at is not null
                then {{ add_hours('with_targets.start_at', 'with_targets.target_hours') }}
            else working_elapsed.working_deadline_at
        end as deadline_at,
        working_elapsed.elapsed_working_hours
    from with_targets
    left join working_elapsed
        on with_targets.complaint_id = working_elapsed.complaint_id
        and with_targets.stage = working_elapsed.stage
),

{#- A working-time deadline past the calendar's last day is null: it lies after as_of (the build
    checks that the calendar covers as_of), so it compares as never reached. -#}
evaluated as (
    select
        complaint_id,
        stage,
        target_value,
        target_unit,
        target_hours,
        case when done_at is not null and start_at is not null
            then {{ elapsed_hours('start_at', 'done_at') }}
        end as elapsed_hours,
        elapsed_working_hours,
        case
            when not is_counted then null
            when target_hours is null then 'not_applicable'
            when not is_observed then 'not_observed'
            {#- Resting on an assumed start, completion or (for a stage not done) resolution. -#}
            when start_at is not null
                and (start_is_assumed or done_is_assumed or (done_at is null and resolved_is_assumed))
                then 'not_observed'
            when start_at is null and resolved_at is null then 'not_started'
            when start_at is null then 'not_applicable'
            when done_at is not null and done_at <= coalesce(deadline_at, {{ instant_infinity() }})
                then 'met'
            when done_at is not null then 'breached'
            when resolved_at is null and as_of > coalesce(deadline_at, {{ instant_infinity() }})
                then 'open_overdue'
            when resolved_at is null then 'open_not_due'
            when resolved_at > coalesce(deadline_at, {{ instant_infinity() }}) then 'breached'
            else 'not_applicable'
        end as status,
        start_at,
        deadline_at,
        done_at,
        resolved_at,
        as_of
    from with_deadlines
),

final as (
    select
        complaint_id,
        stage,
        status,
        target_hours,
        target_unit,
        target_value,
        elapsed_hours,
        elapsed_working_hours,
        case
            when status = 'breached' and done_at is not null
                then {{ elapsed_hours('deadline_at', 'done_at') }}
            when status = 'breached' then {{ elapsed_hours('deadline_at', 'resolved_at') }}
            when status = 'open_overdue' then {{ elapsed_hours('deadline_at', 'as_of') }}
        end as overdue_hours,
        start_at,
        deadline_at,
        done_at
    from evaluated
)

select * from final
