-- The area indicators per financial year (April to March), to set beside sources that publish by
-- year ending 31 March (Children in Need): the sum of the year's four quarters (Q2, Q3, Q4 and Q1
-- of the next calendar year), only when all four are in. A rate's denominator is the population of
-- the mid-year inside the financial year (mid-2022 for 2022-23).
with

quarters as (
    select
        *,
        case when period_quarter = 1 then period_year - 1 else period_year end as financial_year_start
    from {{ ref('indicator_quarters') }}
    where indicator_id in ('police_force_child_referral_rate_per_100k', 'modern_slavery_offence_rate_per_100k')
)

select
    indicator_id,
    area_code,
    breakdown,
    unit,
    max(source_vintage) as source_vintage,
    financial_year_start as period_year,
    null::integer as period_quarter,
    sum(missing_cells) as missing_cells,
    sum(numerator) as numerator,
    -- the mid-year estimate inside the year: the quarters of its first calendar year carry it
    max(denominator) filter (where period_year = financial_year_start) as denominator,
    'financial_year' as period_type,
    financial_year_start || '-' || right(cast(financial_year_start + 1 as varchar), 2) as period_label,
    make_date(financial_year_start, 4, 1) as period_start_date
from quarters
group by indicator_id, area_code, breakdown, unit, financial_year_start
having count(*) = 4
