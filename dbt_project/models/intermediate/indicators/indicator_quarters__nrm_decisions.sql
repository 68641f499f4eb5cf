-- The decision indicators per quarter: the child positive reasonable-grounds and conclusive-grounds
-- rates (positive decisions for children over all decisions for children).
with

decisions as (
    select * from {{ ref('fct_nrm_decisions') }}
),

child_decision_quarters as (
    select
        source_vintage,
        decision_stage,
        period_year,
        period_quarter,
        count(*) filter (where decision_count is null) as missing_cells,
        coalesce(sum(decision_count) filter (where outcome = 'positive'), 0) as positive_decisions,
        coalesce(sum(decision_count), 0) as all_decisions
    from decisions
    where age_group = 'child'
    group by all
)

select
    case decision_stage
        when 'reasonable_grounds' then 'child_rg_positive_rate'
        when 'conclusive_grounds' then 'child_cg_positive_rate'
    end as indicator_id,
    'K02000001' as area_code, 'all' as breakdown, 'ratio' as unit,
    source_vintage, period_year, period_quarter, missing_cells,
    positive_decisions as numerator, all_decisions as denominator
from child_decision_quarters
