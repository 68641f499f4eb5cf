-- Every indicator per calendar year: the sum of its four quarters, only when all four are in.
-- A year's quarters may come from different vintages (first-responder tables are published for
-- their own quarter only): the year carries the newest of them.
-- A year is complete when the indicator's 'all' row has all four quarters; a breakdown absent from
-- a quarter (e.g. 'not_recorded' gender, published in 2022 Q2 only) had none in it, so its year
-- sums the quarters it has, and the breakdowns still add up to 'all'.
with

quarters as (
    select * from {{ ref('indicator_quarters') }}
),

complete_years as (
    select indicator_id, area_code, period_year
    from quarters
    where breakdown = 'all'
    group by all
    having count(*) = 4
)

select
    quarters.indicator_id, quarters.area_code, quarters.breakdown, quarters.unit,
    max(quarters.source_vintage) as source_vintage, quarters.period_year,
    null::integer as period_quarter,
    sum(quarters.missing_cells) as missing_cells,
    sum(quarters.numerator) as numerator,
    -- a rate's denominator is a population, the same in every quarter of the year: not summed
    case when quarters.unit = 'per_100k' then max(quarters.denominator) else sum(quarters.denominator) end
        as denominator,
    'year' as period_type,
    cast(quarters.period_year as varchar) as period_label,
    make_date(quarters.period_year, 1, 1) as period_start_date
from quarters
inner join complete_years
    on quarters.indicator_id = complete_years.indicator_id
    and quarters.area_code = complete_years.area_code
    and quarters.period_year = complete_years.period_year
-- quarterly counts of children assessed would count a child once per quarter: no yearly rate
where quarters.unit <> 'per_10k'
group by quarters.indicator_id, quarters.area_code, quarters.breakdown, quarters.unit, quarters.period_year
