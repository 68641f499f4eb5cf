-- Prevention-strategy indicators: one row per indicator x period x area x breakdown.
-- Quarters come from the facts; a calendar year appears only when all four of its quarters are in.
-- A period with any missing (shorthand) cell gets null figures rather than a silently short sum.
with

referrals as (
    select * from {{ ref('fct_nrm_referrals') }}
),

quarters as (
    select
        source_vintage,
        'quarter' as period_type,
        period_label,
        period_start_date,
        period_year,
        count(*) filter (where referral_count is null) as missing_cells,
        coalesce(sum(referral_count) filter (where age_group = 'child'), 0) as child_referrals,
        coalesce(sum(referral_count) filter (where age_group in ('adult', 'child')), 0) as known_age_referrals,
        coalesce(sum(referral_count) filter (where age_group = 'unknown'), 0) as age_unknown_referrals,
        coalesce(sum(referral_count), 0) as all_referrals
    from referrals
    group by all
),

years as (
    select
        source_vintage,
        'year' as period_type,
        cast(period_year as varchar) as period_label,
        make_date(period_year, 1, 1) as period_start_date,
        period_year,
        sum(missing_cells) as missing_cells,
        sum(child_referrals) as child_referrals,
        sum(known_age_referrals) as known_age_referrals,
        sum(age_unknown_referrals) as age_unknown_referrals,
        sum(all_referrals) as all_referrals
    from quarters
    group by source_vintage, period_year
    having count(*) = 4
),

periods as (
    select * from quarters
    union all by name
    select * from years
),

latest_quarter as (
    select max(period_start_date) as period_start_date from quarters
),

indicator_values as (
    select
        *,
        'child_referrals' as indicator_id,
        child_referrals as numerator,
        null as denominator,
        'count' as unit
    from periods
    union all by name
    select
        *,
        'child_share_of_referrals' as indicator_id,
        child_referrals as numerator,
        known_age_referrals as denominator,
        'ratio' as unit
    from periods
    union all by name
    select
        *,
        'referrals_age_unknown_share' as indicator_id,
        age_unknown_referrals as numerator,
        all_referrals as denominator,
        'ratio' as unit
    from periods
),

final as (
    select
        indicator_values.indicator_id,
        indicator_values.period_type,
        indicator_values.period_label,
        indicator_values.period_start_date,
        'K02000001' as area_code,
        'United Kingdom' as area_name,
        'all' as breakdown,
        case when indicator_values.missing_cells = 0 then indicator_values.numerator end::bigint as numerator,
        case when indicator_values.missing_cells = 0 then indicator_values.denominator end::bigint as denominator,
        case
            when indicator_values.missing_cells > 0 then null
            when indicator_values.unit = 'count' then indicator_values.numerator::double
            else indicator_values.numerator / nullif(indicator_values.denominator, 0)
        end::double as value,
        indicator_values.unit,
        indicator_values.source_vintage,
        case indicator_values.period_type
            when 'quarter' then indicator_values.period_start_date = latest_quarter.period_start_date
            else indicator_values.period_year = year(latest_quarter.period_start_date)
        end as is_provisional
    from indicator_values
    cross join latest_quarter
)

select * from final
