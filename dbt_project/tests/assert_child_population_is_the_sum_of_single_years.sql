-- Every 0-17 denominator equals the sum of its 18 single-year-of-age cells (data/population).
-- Returns the areas and years where it does not.
with

totals as (
    select year, area_code, population from {{ ref('child_population_nations') }} where age_band = '0-17'
),

single_years as (
    select year, area_code, sum(population) as population, count(*) as ages
    from {{ ref('child_population_single_year_0_17') }}
    group by all
)

select totals.year, totals.area_code, totals.population, single_years.population as sum_of_single_years, single_years.ages
from totals
left join single_years using (year, area_code)
where single_years.population is distinct from totals.population or single_years.ages <> 18
