-- Shares lie in [0, 1] with numerator <= denominator; and for the breakdown families that partition
-- 'all' (see qa_breakdown_partitions), the parts' numerators and denominators sum to 'all'.
with

indicators as (
    select * from {{ ref('mart_prevention_indicators') }}
),

bad_shares as (
    select indicator_id, period_label, area_code, breakdown, 'share outside [0, 1]' as problem
    from indicators
    where unit = 'ratio' and (value < 0 or value > 1 or numerator > denominator)
),

bad_partitions as (
    select indicator_id, period_label, area_code, family, 'parts do not sum to all'
    from {{ ref('qa_breakdown_partitions') }}
    where not reconciles
)

select * from bad_shares
union all
select * from bad_partitions
