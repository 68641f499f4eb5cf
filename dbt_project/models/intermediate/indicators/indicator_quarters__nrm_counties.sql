-- NRM referrals (all ages) by the referral form's 'UK County' (the county table, from 2025), for
-- each county that is an area of the monitor: a single council, region or nation code, or a set of
-- councils that is exactly the councils of one police force area (West Midlands, Essex with Southend
-- and Thurrock, Kent with Medway...), and no other county's. A county that is neither stays in marts.fct_nrm_referrals_by_county
-- only. The county is recorded for some referrals only: counties do not add up to the UK.
with

counties as (
    select * from {{ ref('fct_nrm_referrals_by_county') }}
),

lookup as (
    -- a metropolitan county (E11) is not an area of the monitor: its districts (councils) are
    select
        nrm_county,
        case when starts_with(area_codes, 'E11') then imd_codes else area_codes end as council_codes
    from {{ ref('nrm_county_lookup') }}
    where area_codes <> ''
),

county_councils as (
    select lookup.nrm_county, trim(code.code) as area_code
    from lookup
    cross join unnest(string_split(lookup.council_codes, ';')) as code (code)
),

areas as (
    select area_code from {{ ref('dim_area') }}
),

force_councils as (
    select membership.parent_area_code as force_area_code, membership.area_code
    from {{ ref('dim_area_membership') }} as membership
    inner join {{ ref('dim_area') }} as areas on areas.area_code = membership.area_code
    where membership.membership = 'police_force_area' and areas.area_level <> 'former_council'
),

single_areas as (
    select county_councils.nrm_county, min(county_councils.area_code) as area_code
    from county_councils
    group by county_councils.nrm_county
    having count(*) = 1 and min(county_councils.area_code) in (select area_code from areas)
),

force_areas as (
    -- the county's councils are exactly the force area's: the same set, compared as sorted lists
    select county_sets.nrm_county, force_sets.force_area_code as area_code
    from (
        select nrm_county, list_sort(list(area_code)) as codes from county_councils group by nrm_county
    ) as county_sets
    inner join (
        select force_area_code, list_sort(list(area_code)) as codes from force_councils group by force_area_code
    ) as force_sets on county_sets.codes = force_sets.codes
),

matched as (
    select * from single_areas
    union all
    select * from force_areas where nrm_county not in (select nrm_county from single_areas)
),

county_areas as (
    -- an area two counties share (Inverness, and Ross and Cromarty: both Highland) is neither's whole
    select * from matched
    where area_code in (select area_code from matched group by area_code having count(*) = 1)
)

select
    'nrm_referrals_by_county' as indicator_id,
    county_areas.area_code,
    'all' as breakdown,
    'count' as unit,
    counties.source_vintage,
    counties.period_year,
    counties.period_quarter,
    case when counties.referral_count is null then 1 else 0 end as missing_cells,
    counties.referral_count as numerator,
    null::bigint as denominator
from counties
inner join county_areas on county_areas.nrm_county = counties.county
