-- Every calendar year of the indicator mart beside its quarters: a year's numerator is the sum of
-- its quarters' (four for 'all'; a breakdown absent from a quarter had none in it); a rate's
-- denominator is the year's population, a share's the sum of the quarters'. The quality gate's
-- `indicator_years` suite holds a release with a row that does not reconcile, and the dbt test
-- assert_indicator_quarters_sum_to_their_year fails the build on one.
with

indicators as (
    select * from {{ ref('mart_prevention_indicators') }}
),

quarters as (
    select indicator_id, area_code, breakdown, left(period_label, 4) as year,
        sum(numerator) as numerator, sum(denominator) as denominator, max(denominator) as max_denominator,
        count(*) as quarters
    from indicators
    where period_type = 'quarter'
    group by all
)

select
    years.indicator_id,
    years.area_code,
    years.breakdown,
    years.period_label,
    years.unit,
    years.numerator,
    years.denominator,
    quarters.quarters,
    quarters.numerator as numerator_of_quarters,
    case when years.unit = 'per_100k' then quarters.max_denominator else quarters.denominator end
        as denominator_of_quarters,
    (years.breakdown <> 'all' or quarters.quarters = 4)
    and years.numerator is not distinct from quarters.numerator
    and years.denominator is not distinct from denominator_of_quarters as reconciles,
    years.indicator_id || ' ' || years.period_label || ' ' || years.area_code || ' ' || years.breakdown
    || ': numerator ' || {{ shown('years.numerator') }} || ', quarters ' || {{ shown('quarters.numerator') }}
    || ' (' || quarters.quarters || ' quarters); denominator ' || {{ shown('years.denominator') }}
    || ', quarters ' || {{ shown('denominator_of_quarters') }} as figures
from indicators as years
inner join quarters
    on years.indicator_id = quarters.indicator_id and years.area_code = quarters.area_code
    and years.breakdown = quarters.breakdown and years.period_label = quarters.year
where years.period_type = 'year'
