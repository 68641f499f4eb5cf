-- Every quarterly series of the indicator mart (indicator x area, breakdown 'all'): its first and
-- last quarter and how many quarters it holds. The quality gate's `indicator_series` suite holds a
-- release with a series that has a gap, or that stops before the newest quarter of its source (an
-- indicator silently missing from the latest period).
with

quarters as (
    select indicator_id, area_code, period_start_date
    from {{ ref('mart_prevention_indicators') }}
    where period_type = 'quarter' and breakdown = 'all'
),

series as (
    select
        indicator_id,
        area_code,
        -- the source whose newest quarter the series must reach
        case
            when starts_with(indicator_id, 'returns_') then 'returns'
            when indicator_id = 'modern_slavery_offence_rate_per_100k' then 'police_recorded_crime'
            -- the county table is in the 2025 releases only, not in the earlier ones
            when indicator_id = 'nrm_referrals_by_county' then 'nrm_county_table'
            else 'nrm'
        end as source,
        min(period_start_date) as first_quarter,
        max(period_start_date) as last_quarter,
        count(*) as quarters
    from quarters
    group by all
)

select
    indicator_id,
    area_code,
    source,
    first_quarter,
    last_quarter,
    quarters,
    quarters = date_diff('quarter', first_quarter, last_quarter) + 1 as has_every_quarter,
    last_quarter = max(last_quarter) over (partition by source) as reaches_newest_quarter,
    max(last_quarter) over (partition by source) as newest_quarter_of_source,
    indicator_id || ' ' || area_code || ': ' || quarters || ' quarters from ' || first_quarter
    || ' to ' || last_quarter || '; newest quarter of its source ' || newest_quarter_of_source as figures
from series
