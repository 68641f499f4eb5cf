-- Children in Need assessments with a factor per 10,000 children, per year ending 31 March
-- (financial year '2024-25'), for each council (those since abolished under their own codes) and
-- England: trafficking, child criminal exploitation (collected from 2021-22) and going missing.
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
)

select
    case factors.factor
        when 'trafficking' then 'cin_trafficking_rate_per_10k'
        when 'child_criminal_exploitation' then 'cin_child_criminal_exploitation_rate_per_10k'
        when 'going_missing' then 'cin_going_missing_rate_per_10k'
    end as indicator_id,
    factors.area_code,
    'all' as breakdown,
    'per_10k' as unit,
    factors.source_vintage,
    year(factors.period_start_date) as period_year,
    null::integer as period_quarter,
    -- 'u' (low reliability) still gives a figure; c, x, z and low give none
    case when factors.episodes is null then 1 else 0 end as missing_cells,
    factors.episodes as numerator,
    populations.population as denominator,
    'financial_year' as period_type,
    factors.period_label,
    factors.period_start_date
from factors
left join populations
    on populations.area_code = factors.area_code
    and populations.year = year(factors.period_start_date)
