-- Each headline figure (breakdown 'all') of the newest quarter of its series beside the quarter
-- before: what this release adds, and how far it moved. The quality gate's `indicator_changes`
-- suite warns on a move larger than CTM_CHANGE_WARNING_RATIO.
with

indicators as (
    select * from {{ ref('mart_prevention_indicators') }}
),

quarters as (
    select
        indicator_id,
        area_code,
        period_label,
        value,
        lag(value) over series as previous_value,
        lag(period_label) over series as previous_period
    from indicators
    where period_type = 'quarter' and breakdown = 'all'
    window series as (partition by indicator_id, area_code order by period_start_date)
)

select
    indicator_id || ' ' || area_code || ': ' || previous_period || ' ' || round(previous_value, 4)
    || ' -> ' || period_label || ' ' || round(value, 4) as figures,
    abs(value - previous_value) / nullif(abs(previous_value), 0) as relative_change
from quarters
where value is not null and previous_value is not null
qualify period_label = max(period_label) over (partition by indicator_id, area_code)
