-- The referral indicators per quarter, from the NRM table of referrals by age and location:
-- child referrals, the child share of referrals with known age, the child referral rate per 100k
-- children, and the share of referrals with age unknown. A quarter with any missing (shorthand)
-- source cell carries a count of them, so the mart gives null figures, never a short sum.
with

referrals as (
    select * from {{ ref('fct_nrm_referrals') }}
),

uk_child_population as (
    select year, population from {{ ref('child_population_nations') }}
    where area_code = 'K02000001' and age_band = '0-17'
),

referral_quarters as (
    select
        source_vintage,
        period_year,
        period_quarter,
        count(*) filter (where referral_count is null) as missing_cells,
        coalesce(sum(referral_count) filter (where age_group = 'child'), 0) as child_referrals,
        coalesce(sum(referral_count) filter (where age_group in ('adult', 'child')), 0) as known_age_referrals,
        coalesce(sum(referral_count) filter (where age_group = 'unknown'), 0) as age_unknown_referrals,
        coalesce(sum(referral_count), 0) as all_referrals
    from referrals
    group by all
)

select
    'child_referrals' as indicator_id, 'K02000001' as area_code, 'all' as breakdown, 'count' as unit,
    source_vintage, period_year, period_quarter, missing_cells,
    child_referrals as numerator, null::bigint as denominator
from referral_quarters
union all
select
    'child_share_of_referrals', 'K02000001', 'all', 'ratio',
    source_vintage, period_year, period_quarter, missing_cells,
    child_referrals, known_age_referrals
from referral_quarters
union all
-- over the mid-year estimate of the quarter's year; null where there is none (before 2014)
select
    'child_referral_rate_per_100k', 'K02000001', 'all', 'per_100k',
    referral_quarters.source_vintage, referral_quarters.period_year, referral_quarters.period_quarter,
    referral_quarters.missing_cells, referral_quarters.child_referrals, uk_child_population.population
from referral_quarters
left join uk_child_population on referral_quarters.period_year = uk_child_population.year
union all
select
    'referrals_age_unknown_share', 'K02000001', 'all', 'ratio',
    source_vintage, period_year, period_quarter, missing_cells,
    age_unknown_referrals, all_referrals
from referral_quarters
