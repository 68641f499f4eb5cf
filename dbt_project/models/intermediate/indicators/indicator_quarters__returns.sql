-- The agency-return indicators per quarter, in the shape mart_prevention_indicators unions:
-- on-time share (UK; all agencies, and by kind), and per-10k rates for a nation, computed only
-- when every children's services authority of the nation returned the figure for the quarter.
with

completeness as (
    select * from {{ ref('mart_returns_completeness') }}
),

returns as (
    select * from {{ ref('fct_agency_returns') }}
),

population as (
    select year, area_code, population from {{ ref('child_population_nations') }} where age_band = '0-17'
),

vintage as (
    -- returns have no publisher vintage: named after the newest quarter returned, never after a
    -- clock (the release id's content hash tells one set of returns from another)
    select 'returns-' || max(period_label) as source_vintage from returns
),

on_time as (
    select
        period_label,
        coalesce(agency_type, 'all') as breakdown,
        count(*) filter (where is_on_time) as on_time_returns,
        count(*) as expected_returns
    from completeness
    group by grouping sets ((period_label), (period_label, agency_type))
),

council_figures as (
    select
        completeness.period_label,
        completeness.country_code,
        measures.measure,
        count(*) as expected_councils,
        count(returns.value) as councils_with_figure,
        sum(returns.value) as total_value
    from completeness
    cross join (values ('children_assessed_trafficking_concern'), ('children_missing')) as measures (measure)
    left join returns
        on returns.agency_code = completeness.agency_code
        and returns.period_label = completeness.period_label
        and returns.measure = measures.measure
    where completeness.agency_type = 'children_services'
    group by all
),

nation_rates as (
    select
        case council_figures.measure
            when 'children_assessed_trafficking_concern' then 'returns_trafficking_concern_rate_per_10k'
            when 'children_missing' then 'returns_missing_children_rate_per_10k'
        end as indicator_id,
        council_figures.country_code as area_code,
        council_figures.period_label,
        -- a nation's figure only when every council in it gave one; else no number at all
        case when councils_with_figure = expected_councils then cast(total_value as bigint) end as numerator,
        population.population as denominator
    from council_figures
    left join population
        on population.area_code = council_figures.country_code
        and population.year = cast(left(council_figures.period_label, 4) as integer)
),

final as (
    select
        'returns_on_time_share' as indicator_id, 'K02000001' as area_code, breakdown, 'ratio' as unit,
        period_label, on_time_returns as numerator, expected_returns as denominator
    from on_time
    union all
    select indicator_id, area_code, 'all', 'per_10k', period_label, numerator, denominator
    from nation_rates
)

select
    final.indicator_id,
    final.area_code,
    final.breakdown,
    final.unit,
    vintage.source_vintage,
    cast(left(final.period_label, 4) as integer) as period_year,
    cast(right(final.period_label, 1) as integer) as period_quarter,
    0 as missing_cells,  -- a missing figure or population leaves the value null, keeping what is known
    final.numerator,
    final.denominator
from final
cross join vintage
