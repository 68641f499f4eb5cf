-- The cross-source view of each police force area of England and Wales, per financial year (April
-- to March): what the NRM, the police and children's services each see, side by side, as counts,
-- rates and ranks among the force areas (1 = the highest rate; areas without a rate are not ranked).
--   nrm_police_child_referrals       child NRM referrals made by the area's police force, per 100,000 children
--   modern_slavery_offences          police recorded modern slavery offences (all ages), per 100,000 people
--   cin_trafficking                  Children in Need assessments with trafficking, per 10,000 children
--   cin_child_criminal_exploitation  Children in Need assessments with CCE, per 10,000 children
-- Each measure is an indicator of mart_prevention_indicators (its financial-year row for the force
-- area), so the caveats of dim_indicator apply. The release's area_profiles.csv is this table.
{%- set measures = [
    ('nrm_police_child_referrals', 'police_force_child_referral_rate_per_100k'),
    ('modern_slavery_offences', 'modern_slavery_offence_rate_per_100k'),
    ('cin_trafficking', 'cin_trafficking_rate_per_10k'),
    ('cin_child_criminal_exploitation', 'cin_child_criminal_exploitation_rate_per_10k'),
] %}
with

indicators as (
    select * from {{ ref('mart_prevention_indicators') }}
    where period_type = 'financial_year' and breakdown = 'all'
),

force_areas as (
    select area_code, area_name from {{ ref('dim_area') }} where area_level = 'police_force_area'
),

measures as (
    select * from (values
        {%- for measure, indicator_id in measures %}
        ('{{ measure }}', '{{ indicator_id }}'){{ ',' if not loop.last }}
        {%- endfor %}
    ) as measures (measure, indicator_id)
),

figures as (
    select
        measures.measure,
        indicators.period_label,
        indicators.period_start_date,
        indicators.area_code,
        indicators.numerator,
        indicators.value,
        case when indicators.value is not null then
            rank() over (
                partition by measures.measure, indicators.period_label, indicators.value is not null
                order by indicators.value desc
            )
        end as area_rank
    from indicators
    inner join measures on measures.indicator_id = indicators.indicator_id
    inner join force_areas on force_areas.area_code = indicators.area_code
),

periods as (
    select distinct period_label, period_start_date from figures
),

councils as (
    select
        membership.parent_area_code as area_code,
        string_agg(areas.area_name, '; ' order by areas.area_name) as councils
    from {{ ref('dim_area_membership') }} as membership
    inner join {{ ref('dim_area') }} as areas on areas.area_code = membership.area_code
    where membership.membership = 'police_force_area' and areas.area_level <> 'former_council'
    group by all
),

-- a council whose districts lie in more than one force area is inside none of them: named here
straddling as (
    select
        districts.pfa_code as area_code,
        string_agg(distinct districts.utla_name, '; ' order by districts.utla_name) as councils_straddling
    from {{ ref('local_authorities') }} as districts
    where districts.utla_code in (
        select utla_code from {{ ref('local_authorities') }}
        where pfa_code <> '' group by utla_code having count(distinct pfa_code) > 1
    )
    group by all
)

select
    periods.period_label,
    periods.period_start_date,
    force_areas.area_code,
    force_areas.area_name,
    {%- for measure, _ in measures %}
    max(figures.numerator) filter (where figures.measure = '{{ measure }}') as {{ measure }}_count,
    max(figures.value) filter (where figures.measure = '{{ measure }}') as {{ measure }}_rate,
    max(figures.area_rank) filter (where figures.measure = '{{ measure }}') as {{ measure }}_rank,
    {%- endfor %}
    councils.councils,
    coalesce(straddling.councils_straddling, '') as councils_straddling
from force_areas
cross join periods
left join figures
    on figures.area_code = force_areas.area_code and figures.period_label = periods.period_label
left join councils on councils.area_code = force_areas.area_code
left join straddling on straddling.area_code = force_areas.area_code
group by all
