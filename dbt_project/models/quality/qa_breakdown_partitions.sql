-- Every breakdown family that partitions 'all' (gender; exploitation group; first-responder type;
-- nationality group; the returns' agency type), per indicator, period and area: the parts' numerators and denominators
-- summed beside those of 'all'. The quality gate's `breakdown_partitions` suite holds a release
-- with a family that does not sum to 'all'; the dbt test assert_shares_are_fractions_and_breakdowns_partition_all
-- fails the build on one.
with

indicators as (
    select * from {{ ref('mart_prevention_indicators') }}
),

families as (
    select *,
        case
            when breakdown in ('female', 'male', 'other', 'not_recorded', 'gender_unknown') then 'gender'
            when breakdown in ('sexual', 'labour', 'domestic_servitude', 'criminal', 'organ_harvesting', 'multiple', 'unknown')
                then 'exploitation'
            -- 'police' is an agency type in the returns indicators, a first-responder type in the NRM ones
            when indicator_id like 'returns%' and breakdown in ('children_services', 'police') then 'agency_type'
            when breakdown in ('government_agency', 'ngo', 'police', 'local_authority') then 'responder'
            when breakdown in ('uk_national', 'non_uk_national', 'nationality_unknown') then 'nationality'
        end as family
    from indicators
),

parts as (
    select indicator_id, period_label, area_code, family, count(*) as parts,
        sum(numerator) as numerator_of_parts, sum(denominator) as denominator_of_parts
    from families
    where family is not null
    group by all
)

select
    parts.indicator_id,
    parts.period_label,
    parts.area_code,
    parts.family,
    parts.parts,
    whole.numerator,
    parts.numerator_of_parts,
    whole.denominator,
    parts.denominator_of_parts,
    whole.numerator is not distinct from parts.numerator_of_parts
    and whole.denominator is not distinct from parts.denominator_of_parts as reconciles,
    parts.indicator_id || ' ' || parts.period_label || ' ' || parts.area_code || ' ' || parts.family
    || ': all ' || {{ shown('whole.numerator') }} || '/' || {{ shown('whole.denominator') }}
    || ', ' || parts.parts || ' parts sum to ' || {{ shown('parts.numerator_of_parts') }}
    || '/' || {{ shown('parts.denominator_of_parts') }} as figures
from parts
left join indicators as whole
    on whole.indicator_id = parts.indicator_id and whole.period_label = parts.period_label
    and whole.area_code = parts.area_code and whole.breakdown = 'all'
