-- Police recorded modern slavery offences per 100,000 people (all ages), per quarter, for each
-- police force area and for England and Wales (the sum of its 43 force areas, given only when every
-- one has the quarter; British Transport Police has no area and is not in it). The denominator is
-- the area's whole population in the calendar year's mid-year estimate; without one the rate is null.
with

offences as (
    select * from {{ ref('fct_police_recorded_modern_slavery') }}
    where is_police_force_area
),

area_quarters as (
    select
        coalesce(area_code, 'K04000001') as area_code,
        max(source_vintage) as source_vintage,
        period_year,
        period_quarter,
        -- England and Wales: every force area of the quarter must be there, with a figure
        case
            when grouping(area_code) = 1 then 43 - count(offences)
            else count(*) filter (where offences is null)
        end as missing_cells,
        sum(offences) as offences
    from offences
    group by grouping sets ((area_code, period_year, period_quarter), (period_year, period_quarter))
),

populations as (
    select year, area_code, all_ages_population from {{ ref('child_population_areas') }} where area_level = 'pfa'
    union all
    select year, area_code, all_ages_population from {{ ref('child_population_nations') }}
    where area_code = 'K04000001' and age_band = '0-17'
)

select
    'modern_slavery_offence_rate_per_100k' as indicator_id,
    area_quarters.area_code,
    'all' as breakdown,
    'per_100k' as unit,
    area_quarters.source_vintage,
    area_quarters.period_year,
    area_quarters.period_quarter,
    area_quarters.missing_cells,
    area_quarters.offences as numerator,
    populations.all_ages_population as denominator
from area_quarters
left join populations
    on populations.area_code = area_quarters.area_code
    and populations.year = area_quarters.period_year
