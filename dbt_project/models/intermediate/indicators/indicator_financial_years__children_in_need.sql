-- Children in Need assessments with a factor per 10,000 children, per year ending 31 March
-- (financial year '2024-25'), for each council (those since abolished under their own codes),
-- each police force area (the sum of the councils inside it, given only when every one of them has
-- the figure and the population) and England: trafficking, child criminal exploitation (collected
-- from 2021-22) and going missing.
-- The count is of assessment episodes with the factor (a child assessed twice counts twice); the
-- denominator is the DfE's own: children aged 0-17 in the mid-year inside the year (mid-2024 for
-- 2024-25). A figure the DfE suppressed or did not collect leaves the rate null with its reason.
with

factors as (
    select * from {{ ref('fct_children_in_need_factors') }}
    where area_level in ('utla', 'country')
        and factor in ('trafficking', 'child_criminal_exploitation', 'going_missing')
        and not (factor = 'child_criminal_exploitation' and period_start_date < date '2021-04-01')
),

council_forces as (
    select area_code, parent_area_code as force_area_code
    from {{ ref('dim_area_membership') }}
    where membership = 'police_force_area'
),

populations as (
    select
        time_period as year,
        case geographic_level
            when 'National' then country_code
            when 'Regional' then region_code
            else new_la_code
        end as area_code,
        try_cast(population_estimate as bigint) as population  -- 'x': none given, so no rate
    from {{ ref('dfe_children_aged_0_17_by_la_2012_to_2024') }}
),

area_figures as (
    select
        factors.factor,
        factors.area_code,
        factors.source_vintage,
        factors.period_label,
        factors.period_start_date,
        case when factors.episodes is null then 1 else 0 end as missing_cells,
        -- 'c': the DfE suppressed it, and the release says so ([c]), not merely 'not available'
        case when factors.value_flag = 'c' then 1 else 0 end as publisher_suppressed_cells,
        factors.episodes,
        populations.population
    from factors
    left join populations
        on populations.area_code = factors.area_code
        and populations.year = year(factors.period_start_date)
),

force_figures as (
    select
        area_figures.factor,
        council_forces.force_area_code as area_code,
        max(area_figures.source_vintage) as source_vintage,
        area_figures.period_label,
        area_figures.period_start_date,
        sum(area_figures.missing_cells) as missing_cells,
        sum(area_figures.publisher_suppressed_cells) as publisher_suppressed_cells,
        sum(area_figures.episodes) as episodes,
        -- every council's children, or no denominator at all
        case when count(area_figures.population) = count(*) then sum(area_figures.population) end as population
    from area_figures
    inner join council_forces on council_forces.area_code = area_figures.area_code
    group by all
),

final as (
    select * from area_figures
    union all by name
    select * from force_figures
)

select
    case final.factor
        when 'trafficking' then 'cin_trafficking_rate_per_10k'
        when 'child_criminal_exploitation' then 'cin_child_criminal_exploitation_rate_per_10k'
        when 'going_missing' then 'cin_going_missing_rate_per_10k'
    end as indicator_id,
    final.area_code,
    'all' as breakdown,
    'per_10k' as unit,
    final.source_vintage,
    year(final.period_start_date) as period_year,
    null::integer as period_quarter,
    -- 'u' (low reliability) still gives a figure; c, x, z and low give none
    final.missing_cells,
    final.publisher_suppressed_cells,
    final.episodes as numerator,
    final.population as denominator,
    'financial_year' as period_type,
    final.period_label,
    final.period_start_date
from final
