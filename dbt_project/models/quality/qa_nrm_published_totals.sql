-- Every total the Home Office publishes beside the sum of the parts it totals, in every vintage
-- loaded: one row per published total. The quality gate's `nrm_published_totals` suite warns on a
-- row that does not reconcile (the release goes out: indicators are computed from the detail cells,
-- never from published totals, but a reader should know the source did not add up).
with

locations as (
    select * from {{ ref('stg_nrm__referrals_age_location') }}
),

decisions as (
    select * from {{ ref('stg_nrm__decisions') }}
),

duty_to_notify as (
    select * from {{ ref('stg_nrm__duty_to_notify_reports') }}
),

duty_to_notify_by_nationality as (
    select * from {{ ref('stg_nrm__duty_to_notify_by_nationality') }}
),

first_responders as (
    select * from {{ ref('stg_nrm__first_responder_referrals') }}
),

-- referrals: each age group's 'Total' location = the sum of its locations (quarters and years)
location_totals as (
    select 'referrals: total of locations' as check_name, source_vintage, period_label, age_group as part,
        sum(referral_count) filter (where exploitation_location = 'total') as published_total,
        sum(referral_count) filter (where exploitation_location <> 'total') as sum_of_parts
    from locations
    where age_group <> 'all'
    group by all
),

-- referrals: the all-ages Total column = the sum of the age groups' totals
location_age_totals as (
    select 'referrals: total of age groups', source_vintage, period_label, 'all',
        sum(referral_count) filter (where age_group = 'all'),
        sum(referral_count) filter (where age_group <> 'all' and exploitation_location = 'total')
    from locations
    group by source_vintage, period_label
    having count(*) filter (where age_group = 'all') > 0
),

-- referrals: a year's published row = the sum of its quarters
location_year_totals as (
    select 'referrals: year of quarters', source_vintage, cast(period_year as varchar),
        age_group || '/' || exploitation_location,
        sum(referral_count) filter (where is_year_total),
        sum(referral_count) filter (where not is_year_total)
    from locations
    group by source_vintage, period_year, age_group, exploitation_location
    having count(*) filter (where is_year_total) > 0
),

-- decisions: each age group's 'Total' outcome = negative + positive
decision_outcome_totals as (
    select decision_stage || ' decisions: total of outcomes', source_vintage, period_label, age_group,
        sum(decision_count) filter (where outcome = 'total'),
        sum(decision_count) filter (where outcome <> 'total')
    from decisions
    where age_group <> 'all'
    group by all
),

-- decisions: the all-ages total = the sum of the age groups' totals
decision_age_totals as (
    select decision_stage || ' decisions: total of age groups', source_vintage, period_label, 'all',
        sum(decision_count) filter (where age_group = 'all'),
        sum(decision_count) filter (where age_group <> 'all' and outcome = 'total')
    from decisions
    group by all
),

-- decisions: a year's published row = the sum of its quarters
decision_year_totals as (
    select decision_stage || ' decisions: year of quarters', source_vintage, cast(period_year as varchar),
        age_group || '/' || outcome,
        sum(decision_count) filter (where is_year_total),
        sum(decision_count) filter (where not is_year_total)
    from decisions
    group by decision_stage, source_vintage, period_year, age_group, outcome
),

-- Duty to Notify: a year's published total = the sum of its quarters
duty_to_notify_year_totals as (
    select 'duty to notify: year of quarters', source_vintage, cast(period_year as varchar), 'all',
        sum(report_count) filter (where is_year_total),
        sum(report_count) filter (where not is_year_total)
    from duty_to_notify
    group by source_vintage, period_year
),

-- Duty to Notify by nationality: the nationalities sum to the table's Total row ...
nationality_totals as (
    select 'duty to notify: total of nationalities', source_vintage, period_label, 'all',
        sum(report_count) filter (where is_published_total),
        sum(report_count) filter (where not is_published_total)
    from duty_to_notify_by_nationality
    group by all
),

-- ... and that Total is the quarter's figure in the quarterly table of the same vintage
nationality_table_totals as (
    select 'duty to notify: nationality table vs quarterly table', by_nationality.source_vintage,
        by_nationality.period_label, 'all', quarterly.report_count, by_nationality.report_count
    from duty_to_notify_by_nationality as by_nationality
    inner join duty_to_notify as quarterly
        on by_nationality.source_vintage = quarterly.source_vintage
        and by_nationality.period_label = quarterly.period_label
        and not quarterly.is_year_total
    where by_nationality.is_published_total
),

-- first responders: each row's 'Total' column = the sum of its nationalities
first_responder_row_totals as (
    select 'first responders: total of nationalities', source_vintage, period_label,
        concat_ws('/', responder_type, first_responder, exploitation_type, age_group, gender),
        sum(referral_count) filter (where is_total_column),
        sum(referral_count) filter (where not is_total_column)
    from first_responders
    group by source_vintage, period_label, responder_type, first_responder, exploitation_type, age_group, gender
),

-- first responders: the four tables' child referrals = Table 2's child referrals of the quarter,
-- in the same release (the four tables cover every referral; 2023 Q4: 1,944 against 1,945)
first_responder_child_totals as (
    select 'first responders: child referrals against Table 2', responders.source_vintage,
        responders.period_label, 'child', table_2.referral_count, responders.child_referrals
    from (
        select source_vintage, period_label, sum(referral_count) as child_referrals
        from first_responders
        where age_group = 'child' and not is_total_row and not is_total_column
        group by all
    ) as responders
    inner join locations as table_2
        on responders.source_vintage = table_2.source_vintage
        and responders.period_label = table_2.period_label
        and table_2.age_group = 'child' and table_2.exploitation_location = 'total'
),

published_totals as (
    select * from location_totals
    union all select * from location_age_totals
    union all select * from location_year_totals
    union all select * from first_responder_child_totals
    union all select * from decision_outcome_totals
    union all select * from decision_age_totals
    union all select * from decision_year_totals
    union all select * from duty_to_notify_year_totals
    union all select * from nationality_totals
    union all select * from nationality_table_totals
    union all select * from first_responder_row_totals
)

select
    check_name,
    source_vintage,
    period_label,
    part,
    published_total,
    sum_of_parts,
    published_total is not distinct from sum_of_parts as reconciles,
    check_name || ', ' || source_vintage || ' ' || period_label || ' ' || part
    || ': published ' || {{ shown('published_total') }} || ', parts sum to ' || {{ shown('sum_of_parts') }} as figures
from published_totals
