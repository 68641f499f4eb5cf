-- Each headline figure (breakdown 'all') of the newest quarter of its series beside the quarter
-- before: what this release adds, and how far it moved. The quality gate's `indicator_changes`
-- suite warns on a move larger than CTM_CHANGE_WARNING_RATIO. National figures only: a force area's
-- or a council's small counts move by half from one quarter to the next as a matter of course.
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
        and area_code in (
            select area_code from {{ ref('dim_area') }}
            where area_level in ('uk', 'great_britain', 'england_and_wales', 'country')
        )
    window series as (partition by indicator_id, area_code order by period_start_date)
)

select
    indicator_id || ' ' || area_code || ': ' || previous_period || ' ' || round(previous_value, 4)
    || ' -> ' || period_label || ' ' || round(value, 4) as figures,
    abs(value - previous_value) / nullif(abs(previous_value), 0) as relative_change
from quarters
where value is not null and previous_value is not null
qualify period_label = max(period_label) over (partition by indicator_id, area_code)
