-- Child NRM referrals made by each police force per 100,000 children in the area it covers, per
-- quarter. Every force with an area gets every quarter the police table was published for: a
-- force absent from a quarter's table made no referral in it (0, not missing). The denominator is
-- the area's children in the calendar year's mid-year estimate; a year without one gives a null
-- rate (the count is kept), never another year's population.
with

force_referrals as (
    select * from {{ ref('fct_nrm_police_force_referrals') }}
    where age_group = 'child' and has_area
),

forces as (
    select distinct area_code from {{ ref('nrm_police_forces') }} where area_code <> ''
),

quarters as (
    select distinct period_year, period_quarter, source_vintage
    from {{ ref('fct_nrm_police_force_referrals') }}
),

populations as (
    select year, area_code, population from {{ ref('child_population_areas') }}
)

select
    'police_force_child_referral_rate_per_100k' as indicator_id,
    forces.area_code,
    'all' as breakdown,
    'per_100k' as unit,
    quarters.source_vintage,
    quarters.period_year,
    quarters.period_quarter,
    coalesce(force_referrals.missing_cells, 0) as missing_cells,
    coalesce(force_referrals.referrals, 0) as numerator,
    populations.population as denominator
from forces
cross join quarters
left join force_referrals
    on force_referrals.area_code = forces.area_code
    and force_referrals.period_year = quarters.period_year
    and force_referrals.period_quarter = quarters.period_quarter
left join populations
    on populations.area_code = forces.area_code
    and populations.year = quarters.period_year
