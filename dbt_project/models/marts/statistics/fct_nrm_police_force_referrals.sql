-- NRM referrals made by each police force (the first-responder police table), by the area the force
-- covers: its police force area, or its nation for Police Scotland and the PSNI. Forces without an
-- area (British Transport Police, the regional organised crime units) are kept with a null area:
-- shown, never counted in an area. A referral is counted by the referring force, not by where the
-- child lives or was exploited. One row per quarter x force x age group.
with

referrals as (
    select * from {{ ref('fct_nrm_first_responder_referrals') }}
    where responder_type = 'police'
),

forces as (
    select * from {{ ref('nrm_police_forces') }}
)

select
    referrals.period_label,
    referrals.period_start_date,
    referrals.period_year,
    referrals.period_quarter,
    referrals.first_responder as police_force,
    nullif(forces.area_code, '') as area_code,
    nullif(forces.area_code, '') is not null as has_area,
    referrals.age_group,
    sum(referrals.referral_count) as referrals,
    count(*) filter (where referrals.referral_count is null) as missing_cells,
    max(referrals.source_vintage) as source_vintage
from referrals
left join forces on referrals.first_responder = forces.nrm_first_responder
group by all
