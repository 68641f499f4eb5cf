-- Every area a figure can be about: the UK aggregates, nations, English regions, local authority
-- districts, upper-tier (children's services) authorities and police force areas, from the ONS
-- 2023 lists in data/geography/ (seeds). One row per code; a unitary authority is both a district
-- and a children's services authority. Councils abolished since 2019 are kept (former_council):
-- earlier years of the DfE's figures are theirs.
with

regions as (
    select * from {{ ref('regions') }}
),

local_authorities as (
    select * from {{ ref('local_authorities') }}
),

upper_tier as (
    select * from {{ ref('upper_tier_authorities') }}
),

police_force_areas as (
    select * from {{ ref('police_force_areas') }}
),

former_councils as (
    select * from {{ ref('former_childrens_services_authorities') }}
),

-- ONS codes of the UK aggregates the sources publish for (not in the 2023 district lists)
aggregates as (
    select * from (values
        ('K02000001', 'United Kingdom', 'uk', null),
        ('K03000001', 'Great Britain', 'great_britain', 'K02000001'),
        ('K04000001', 'England and Wales', 'england_and_wales', 'K03000001')
    ) as aggregates (area_code, area_name, area_level, parent_area_code)
),

areas as (
    select area_code, area_name, area_level, parent_area_code, null as country_code, null as region_code,
        false as is_childrens_services_authority
    from aggregates
    union all
    select code, name, level, coalesce(parent_country_code, 'K02000001'),
        case when level = 'country' then code else parent_country_code end, null, false
    from regions
    union all
    select code, name, 'local_authority_district', coalesce(nullif(region_code, ''), country_code), country_code,
        nullif(region_code, ''),
        -- unitary, metropolitan, London and Welsh districts run children's services; so do Scottish councils
        code_prefix in ('E06', 'E08', 'E09', 'W06', 'S12')
    from local_authorities
    union all
    select code, name, 'county', region_code, country_code, region_code, true
    from upper_tier
    where code_prefix = 'E10'
    union all
    select code, name, 'police_force_area', country_code, country_code, null, false
    from police_force_areas
    union all
    -- abolished since 2019: the DfE's earlier years are published under their codes
    select code, name, 'former_council', region_code, country_code, region_code, true
    from former_councils
),

final as (
    select
        area_code,
        area_name,
        area_level,
        parent_area_code,
        country_code,
        region_code,
        is_childrens_services_authority
    from areas
)

select * from final
