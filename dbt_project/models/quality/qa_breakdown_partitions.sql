-- Every breakdown family that partitions 'all' (seed breakdown_families: gender, exploitation group,
-- first-responder type, nationality group; the returns' agency type), per indicator, period and area:
-- the parts' numerators and denominators summed beside those of 'all'. A breakdown belongs to the
-- family of its indicator's source ('police' is a first-responder type in the NRM indicators and an
-- agency type in the returns ones). The quality gate's `breakdown_partitions` suite holds a release
-- with a family that does not sum to 'all'; the dbt test assert_shares_are_fractions_and_breakdowns_partition_all
-- fails the build on one.
with

indicators as (
    select * from {{ ref('mart_prevention_indicators') }}
),

catalogue as (
    select * from {{ ref('dim_indicator') }}
),

breakdown_families as (
    select * from {{ ref('breakdown_families') }}
),

families as (
    select indicators.*, breakdown_families.dimension as family
    from indicators
    inner join catalogue on indicators.indicator_id = catalogue.indicator_id
    left join breakdown_families
        on indicators.breakdown = breakdown_families.breakdown
        and split_part(catalogue.numerator_count, '_', 1) = breakdown_families.source
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
