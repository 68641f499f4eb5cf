-- NRM referrals by the referral form's 'UK County', each quarter from the latest vintage that
-- published it, with the county's ONS codes. The county is recorded for only some referrals, so
-- the counties do not sum to the quarter's referrals; a county the lookup does not know loads with
-- null codes (new labels are data) and the relationship test warns.
with

counties as (
    select * from {{ ref('stg_nrm__referrals_by_county') }}
),

county_lookup as (
    select * from {{ ref('nrm_county_lookup') }}
),

final as (
    select
        counties.source_vintage,
        counties.period_label,
        counties.period_start_date,
        counties.period_year,
        counties.period_quarter,
        counties.county,
        nullif(county_lookup.area_codes, '') as area_codes,
        nullif(county_lookup.nation, '') as nation,
        counties.referral_count,
        counties.value_flag
    from counties
    {{ join_latest_vintage('counties', per='period_label') }}
    left join county_lookup on counties.county = county_lookup.nrm_county
)

select * from final
