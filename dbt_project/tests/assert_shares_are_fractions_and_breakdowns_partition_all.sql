-- Shares lie in [0, 1] with numerator <= denominator; and for the breakdown families that partition
-- 'all' (gender; exploitation group; first-responder type; nationality group), the parts' numerators and denominators sum to 'all'.
with

indicators as (
    select * from {{ ref('mart_prevention_indicators') }}
),

bad_shares as (
    select indicator_id, period_label, area_code, breakdown, 'share outside [0, 1]' as problem
    from indicators
    where unit = 'ratio' and (value < 0 or value > 1 or numerator > denominator)
),

families as (
    select *,
        case
            when breakdown in ('female', 'male', 'other', 'not_recorded') then 'gender'
            when breakdown in ('sexual', 'labour', 'domestic_servitude', 'criminal', 'organ_harvesting', 'multiple', 'unknown')
                then 'exploitation'
            when breakdown in ('government_agency', 'ngo', 'local_authority') then 'responder'
            when breakdown in ('uk_national', 'non_uk_national', 'nationality_unknown') then 'nationality'
        end as family
    from indicators
),

parts as (
    select indicator_id, period_label, area_code, family, sum(numerator) as numerator, sum(denominator) as denominator
    from families
    where family is not null
    group by all
),

bad_partitions as (
    select parts.indicator_id, parts.period_label, parts.area_code, parts.family, 'parts do not sum to all'
    from parts
    inner join indicators as whole
        on whole.indicator_id = parts.indicator_id and whole.period_label = parts.period_label
        and whole.area_code = parts.area_code and whole.breakdown = 'all'
    where parts.numerator is distinct from whole.numerator or parts.denominator is distinct from whole.denominator
)

select * from bad_shares
union all
select * from bad_partitions
