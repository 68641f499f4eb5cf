{{ config(severity="warn") }}
-- A mismatch is a warning: it goes into the release's quality results; the indicators are computed from
-- the detail cells, never from the published totals.
-- Decision tables: each age group's 'Total' outcome = negative + positive; the all-ages total =
-- the sum of the age groups' totals; a year's published row = the sum of its quarters.
with cells as (
    select * from {{ ref('stg_nrm__decisions') }}
),

outcome_totals as (
    select
        'outcome total' as check_name, source_vintage, decision_stage, period_label, age_group as part,
        sum(decision_count) filter (where outcome = 'total') as published_total,
        sum(decision_count) filter (where outcome <> 'total') as sum_of_parts
    from cells
    where age_group <> 'all'
    group by all
),

age_totals as (
    select
        'all ages' as check_name, source_vintage, decision_stage, period_label, 'all' as part,
        sum(decision_count) filter (where age_group = 'all') as published_total,
        sum(decision_count) filter (where age_group <> 'all' and outcome = 'total') as sum_of_parts
    from cells
    group by all
),

year_totals as (
    select
        'year' as check_name, source_vintage, decision_stage, cast(period_year as varchar) as period_label,
        age_group || '/' || outcome as part,
        sum(decision_count) filter (where is_year_total) as published_total,
        sum(decision_count) filter (where not is_year_total) as sum_of_parts
    from cells
    group by source_vintage, decision_stage, period_year, age_group, outcome
)

select * from outcome_totals where published_total is distinct from sum_of_parts
union all
select * from age_totals where published_total is distinct from sum_of_parts
union all
select * from year_totals where published_total is distinct from sum_of_parts
