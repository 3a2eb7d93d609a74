{#- The received weeks an incremental build redoes in reopen_and_repeat_rates (docs/incremental.md):
    every received week to redo (int_received_weeks_to_redo) and the weeks within
    repeat_buyer_window_days after it. A redone complaint may be the earlier complaint that makes a
    later one from the same buyer about the same merchant a repeat, up to that many days later:
    from a week's Monday, up to window + 6 days, so window // 7 + 1 weeks after it. Empty on a
    full build. -#}
with

received_weeks_to_redo as (
    select * from {{ ref('int_received_weeks_to_redo') }}
),

redone_and_after as (
    {{- received_weeks_and_after('received_weeks_to_redo', (var('repeat_buyer_window_days') | int) // 7 + 1) }}
),

weeks as (
    select distinct received_week from redone_and_after
)

select received_week from weeks
