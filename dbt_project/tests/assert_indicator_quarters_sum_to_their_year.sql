-- A calendar year's numerator is the sum of its quarters' (four for 'all'; a breakdown absent from
-- a quarter had none in it); a rate's denominator is the year's population, a share's the sum.
with

indicators as (
    select * from {{ ref('mart_prevention_indicators') }}
),

quarters as (
    select indicator_id, area_code, breakdown, cast(left(period_label, 4) as varchar) as year,
        sum(numerator) as numerator, sum(denominator) as denominator, max(denominator) as max_denominator,
        count(*) as quarters
    from indicators
    where period_type = 'quarter'
    group by all
)

select years.indicator_id, years.area_code, years.breakdown, years.period_label,
    years.numerator, quarters.numerator as sum_of_quarters, quarters.quarters
from indicators as years
inner join quarters
    on years.indicator_id = quarters.indicator_id and years.area_code = quarters.area_code
    and years.breakdown = quarters.breakdown and years.period_label = quarters.year
where years.period_type = 'year'
    and (
        (years.breakdown = 'all' and quarters.quarters <> 4)
        or years.numerator is distinct from quarters.numerator
        or years.denominator is distinct from case when years.unit = 'per_100k' then quarters.max_denominator else quarters.denominator end
    )
