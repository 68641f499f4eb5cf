-- The first-responder indicators per quarter, from the four first-responder tables: the UK-national
-- and criminal-exploitation shares of child referrals, for everyone ('all') and by gender,
-- exploitation group, first-responder type and nationality group (each a partition of 'all'), and
-- the local-authority share of every child referral of the quarter.
with

first_responder_referrals as (
    select * from {{ ref('fct_nrm_first_responder_referrals') }}
),

child_referrals as (
    -- every child referral of the quarter (all first responders): the referrals table's count
    select period_year, period_quarter, missing_cells, numerator as child_referrals
    from {{ ref('indicator_quarters__nrm_referrals') }}
    where indicator_id = 'child_referrals'
),

child_responder_quarters as (
    select
        source_vintage,
        period_year,
        period_quarter,
        case
            when grouping(gender) = 0 then 'gender'
            when grouping(exploitation_group) = 0 then 'exploitation'
            when grouping(responder_type) = 0 then 'responder'
            when grouping(nationality_group) = 0 then 'nationality'
        end as breakdown_family,
        coalesce(
            gender,
            exploitation_group,
            responder_type,
            -- named apart from the exploitation group 'unknown'
            case when grouping(nationality_group) = 0 then
                case nationality_group
                    when 'uk' then 'uk_national'
                    when 'non_uk' then 'non_uk_national'
                    else 'nationality_unknown'
                end
            end,
            'all'
        ) as breakdown,
        count(*) filter (where referral_count is null) as missing_cells,
        coalesce(sum(referral_count) filter (where nationality_group = 'uk'), 0) as uk_national_referrals,
        coalesce(sum(referral_count) filter (where is_criminal_exploitation), 0) as criminal_referrals,
        coalesce(sum(referral_count) filter (where responder_type = 'local_authority'), 0) as local_authority_referrals,
        coalesce(sum(referral_count), 0) as child_referrals
    from first_responder_referrals
    where age_group = 'child'
    group by grouping sets (
        (source_vintage, period_year, period_quarter),
        (source_vintage, period_year, period_quarter, gender),
        (source_vintage, period_year, period_quarter, exploitation_group),
        (source_vintage, period_year, period_quarter, responder_type),
        (source_vintage, period_year, period_quarter, nationality_group)
    )
)

select
    'uk_national_share_of_child_referrals' as indicator_id, 'K02000001' as area_code, breakdown, 'ratio' as unit,
    source_vintage, period_year, period_quarter, missing_cells,
    uk_national_referrals as numerator, child_referrals as denominator
from child_responder_quarters
where breakdown_family is distinct from 'nationality'  -- 0 or 1 by definition
union all
select
    'criminal_exploitation_share_of_child_referrals', 'K02000001', breakdown, 'ratio',
    source_vintage, period_year, period_quarter, missing_cells,
    criminal_referrals, child_referrals
from child_responder_quarters
where period_year >= 2019  -- before 2019 criminal exploitation was counted under labour
    and breakdown_family is distinct from 'exploitation'  -- the share of criminal within a type means nothing
union all
select
    'la_first_responder_share_of_child_referrals', 'K02000001', 'all', 'ratio',
    responders.source_vintage, responders.period_year, responders.period_quarter,
    responders.missing_cells + all_referrals.missing_cells,
    responders.local_authority_referrals, all_referrals.child_referrals
from child_responder_quarters as responders
inner join child_referrals as all_referrals
    on responders.period_year = all_referrals.period_year and responders.period_quarter = all_referrals.period_quarter
where responders.breakdown = 'all'
