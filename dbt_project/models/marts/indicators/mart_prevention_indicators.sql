-- Prevention-strategy indicators: one row per indicator x period x area x breakdown.
-- Every indicator is first computed per quarter as a numerator and a denominator; a calendar year
-- is the sum of its four quarters and appears only when all four are in. A quarter with any
-- missing (shorthand) source cell gets null figures rather than a silently short sum.
with

referrals as (
    select * from {{ ref('fct_nrm_referrals') }}
),

decisions as (
    select * from {{ ref('fct_nrm_decisions') }}
),

dtn_reports as (
    select * from {{ ref('fct_nrm_duty_to_notify_reports') }}
),

first_responder_referrals as (
    select * from {{ ref('fct_nrm_first_responder_referrals') }}
),

returns_indicator_quarters as (
    select * from {{ ref('int_returns__indicator_quarters') }}
),

uk_child_population as (
    select year, population from {{ ref('child_population_nations') }}
    where area_code = 'K02000001' and age_band = '0-17'
),

areas as (
    select area_code, area_name from {{ ref('dim_area') }}
),

referral_quarters as (
    select
        source_vintage,
        period_year,
        period_quarter,
        count(*) filter (where referral_count is null) as missing_cells,
        coalesce(sum(referral_count) filter (where age_group = 'child'), 0) as child_referrals,
        coalesce(sum(referral_count) filter (where age_group in ('adult', 'child')), 0) as known_age_referrals,
        coalesce(sum(referral_count) filter (where age_group = 'unknown'), 0) as age_unknown_referrals,
        coalesce(sum(referral_count), 0) as all_referrals
    from referrals
    group by all
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
),

-- Child referrals in the first-responder tables, for everyone ('all'), by gender and by
-- exploitation group (each a partition of 'all').
child_responder_quarters as (
    select
        source_vintage,
        period_year,
        period_quarter,
        case
            when grouping(gender) = 0 then 'gender'
            when grouping(exploitation_group) = 0 then 'exploitation'
            when grouping(responder_type) = 0 then 'responder'
            when grouping(nationality_group) = 0 then 'nationality'
        end as breakdown_family,
        coalesce(
            gender,
            exploitation_group,
            responder_type,
            -- named apart from the exploitation group 'unknown'
            case when grouping(nationality_group) = 0 then
                case nationality_group when 'uk' then 'uk_national' when 'non_uk' then 'non_uk_national' else 'nationality_unknown' end
            end,
            'all'
        ) as breakdown,
        count(*) filter (where referral_count is null) as missing_cells,
        coalesce(sum(referral_count) filter (where nationality_group = 'uk'), 0) as uk_national_referrals,
        coalesce(sum(referral_count) filter (where is_criminal_exploitation), 0) as criminal_referrals,
        coalesce(sum(referral_count) filter (where responder_type = 'local_authority'), 0) as local_authority_referrals,
        coalesce(sum(referral_count), 0) as child_referrals
    from first_responder_referrals
    where age_group = 'child'
    group by grouping sets (
        (source_vintage, period_year, period_quarter),
        (source_vintage, period_year, period_quarter, gender),
        (source_vintage, period_year, period_quarter, exploitation_group),
        (source_vintage, period_year, period_quarter, responder_type),
        (source_vintage, period_year, period_quarter, nationality_group)
    )
),

indicator_quarters as (
    select
        'child_referrals' as indicator_id, 'K02000001' as area_code, 'all' as breakdown, 'count' as unit,
        source_vintage, period_year, period_quarter, missing_cells,
        child_referrals as numerator, null::bigint as denominator
    from referral_quarters
    union all
    select
        'child_share_of_referrals', 'K02000001', 'all', 'ratio',
        source_vintage, period_year, period_quarter, missing_cells,
        child_referrals, known_age_referrals
    from referral_quarters
    union all
    -- over the mid-year estimate of the quarter's year; null where there is none (before 2014)
    select
        'child_referral_rate_per_100k', 'K02000001', 'all', 'per_100k',
        referral_quarters.source_vintage, referral_quarters.period_year, referral_quarters.period_quarter,
        referral_quarters.missing_cells, referral_quarters.child_referrals, uk_child_population.population
    from referral_quarters
    left join uk_child_population on referral_quarters.period_year = uk_child_population.year
    union all
    select
        'referrals_age_unknown_share', 'K02000001', 'all', 'ratio',
        source_vintage, period_year, period_quarter, missing_cells,
        age_unknown_referrals, all_referrals
    from referral_quarters
    union all
    select
        case decision_stage
            when 'reasonable_grounds' then 'child_rg_positive_rate'
            when 'conclusive_grounds' then 'child_cg_positive_rate'
        end,
        'K02000001', 'all', 'ratio',
        source_vintage, period_year, period_quarter, missing_cells,
        positive_decisions, all_decisions
    from child_decision_quarters
    union all
    select
        'uk_national_share_of_child_referrals', 'K02000001', breakdown, 'ratio',
        source_vintage, period_year, period_quarter, missing_cells,
        uk_national_referrals, child_referrals
    from child_responder_quarters
    where breakdown_family is distinct from 'nationality'  -- 0 or 1 by definition
    union all
    select
        'criminal_exploitation_share_of_child_referrals', 'K02000001', breakdown, 'ratio',
        source_vintage, period_year, period_quarter, missing_cells,
        criminal_referrals, child_referrals
    from child_responder_quarters
    where period_year >= 2019  -- before 2019 criminal exploitation was counted under labour
        and breakdown_family is distinct from 'exploitation'  -- the share of criminal within a type means nothing
    union all
    -- local authorities' child referrals over every child referral of the quarter (all first responders)
    select
        'la_first_responder_share_of_child_referrals', 'K02000001', 'all', 'ratio',
        responders.source_vintage, responders.period_year, responders.period_quarter,
        responders.missing_cells + all_referrals.missing_cells,
        responders.local_authority_referrals, all_referrals.child_referrals
    from child_responder_quarters as responders
    inner join referral_quarters as all_referrals
        on responders.period_year = all_referrals.period_year and responders.period_quarter = all_referrals.period_quarter
    where responders.breakdown = 'all'
    union all
    select
        'dtn_reports', 'K04000001', 'all', 'count',
        source_vintage, period_year, period_quarter, case when report_count is null then 1 else 0 end,
        report_count, null::bigint
    from dtn_reports
    union all
    select
        indicator_id, area_code, breakdown, unit,
        source_vintage, period_year, period_quarter, missing_cells,
        numerator, denominator
    from returns_indicator_quarters
),

quarters as (
    select
        *,
        'quarter' as period_type,
        {{ period_label('period_year', 'period_quarter') }} as period_label,
        {{ period_start_date('period_year', 'period_quarter') }} as period_start_date
    from indicator_quarters
),

-- A year's quarters may come from different vintages (first-responder tables are published for
-- their own quarter only): the year carries the newest of them.
-- A year is complete when the indicator's 'all' row has all four quarters; a breakdown absent from
-- a quarter (e.g. 'not_recorded' gender, published in 2022 Q2 only) had none in it, so its year
-- sums the quarters it has, and the breakdowns still add up to 'all'.
complete_years as (
    select indicator_id, area_code, period_year
    from quarters
    where breakdown = 'all'
    group by all
    having count(*) = 4
),

years as (
    select
        quarters.indicator_id, quarters.area_code, quarters.breakdown, quarters.unit,
        max(quarters.source_vintage) as source_vintage, quarters.period_year,
        null::integer as period_quarter,
        sum(quarters.missing_cells) as missing_cells,
        sum(quarters.numerator) as numerator,
        -- a rate's denominator is a population, the same in every quarter of the year: not summed
        case when quarters.unit = 'per_100k' then max(quarters.denominator) else sum(quarters.denominator) end
            as denominator,
        'year' as period_type,
        cast(quarters.period_year as varchar) as period_label,
        make_date(quarters.period_year, 1, 1) as period_start_date
    from quarters
    inner join complete_years
        on quarters.indicator_id = complete_years.indicator_id
        and quarters.area_code = complete_years.area_code
        and quarters.period_year = complete_years.period_year
    -- quarterly counts of children assessed would count a child once per quarter: no yearly rate
    where quarters.unit <> 'per_10k'
    group by quarters.indicator_id, quarters.area_code, quarters.breakdown, quarters.unit, quarters.period_year
),

periods as (
    select * from quarters
    union all by name
    select * from years
),

latest_quarters as (
    select indicator_id, max(period_start_date) as latest_quarter_start
    from quarters
    group by indicator_id
),

computed as (
    select
        periods.indicator_id,
        periods.period_type,
        periods.period_label,
        periods.period_start_date,
        periods.area_code,
        areas.area_name,
        periods.breakdown,
        case when periods.missing_cells = 0 then periods.numerator end::bigint as numerator,
        case when periods.missing_cells = 0 then periods.denominator end::bigint as denominator,
        case
            when periods.missing_cells > 0 then null
            when periods.unit = 'count' then periods.numerator
            when periods.unit = 'per_100k' then 100000.0 * periods.numerator / nullif(periods.denominator, 0)
            when periods.unit = 'per_10k' then 10000.0 * periods.numerator / nullif(periods.denominator, 0)
            else periods.numerator / nullif(periods.denominator, 0)
        end::double as value,
        periods.unit,
        periods.source_vintage,
        case periods.period_type
            when 'quarter' then periods.period_start_date = latest_quarters.latest_quarter_start
            else periods.period_year = year(latest_quarters.latest_quarter_start)
        end as is_provisional,
        case
            when periods.missing_cells > 0 then 'a source figure is missing (shorthand such as [x] or [c])'
            when periods.numerator is null then 'not every agency in the area gave the figure'
            when periods.unit <> 'count' and periods.denominator is null
                then 'no denominator for the period (e.g. no population estimate for that year)'
            when periods.unit <> 'count' and periods.denominator = 0 then 'the denominator is zero'
        end as null_reason
    from periods
    inner join latest_quarters on periods.indicator_id = latest_quarters.indicator_id
    inner join areas on periods.area_code = areas.area_code
),

final as (
    select
        computed.*,
        year_earlier.value as value_year_earlier,
        computed.value - year_earlier.value as change_on_year_earlier
    from computed
    left join computed as year_earlier
        on computed.indicator_id = year_earlier.indicator_id
        and computed.area_code = year_earlier.area_code
        and computed.breakdown = year_earlier.breakdown
        and computed.period_type = year_earlier.period_type
        and year_earlier.period_start_date = computed.period_start_date - interval 1 year
)

select * from final
