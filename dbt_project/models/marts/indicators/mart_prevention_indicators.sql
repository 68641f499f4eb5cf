-- Prevention-strategy indicators: one row per indicator x period x area x breakdown.
-- Every indicator is computed per quarter as a numerator and a denominator by its source family
-- (intermediate/indicators/indicator_quarters__*); a calendar year is the sum of its four quarters
-- (indicator_years); sources published by year ending 31 March give financial years
-- (intermediate/indicators/indicator_financial_years__*). Here they are labelled: the value in its
-- unit, provisional or not, the area's name, why a figure is null, and the value a year earlier. A
-- quarter with any missing (shorthand) source cell gets null figures rather than a silently short sum.
with

quarters as (
    select * from {{ ref('indicator_quarters') }}
),

years as (
    select * from {{ ref('indicator_years') }}
),

-- sources that publish by year ending 31 March, and the area indicators' quarters summed to match
financial_years as (
    select * from {{ ref('indicator_financial_years__children_in_need') }}
    union all by name
    select * from {{ ref('indicator_financial_years') }}
),

areas as (
    select area_code, area_name from {{ ref('dim_area') }}
),

periods as (
    select * from quarters
    union all by name
    select * from years
    union all by name
    select * from financial_years
),

latest_quarters as (
    select indicator_id, max(period_start_date) filter (where period_type = 'quarter') as latest_quarter_start
    from periods
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
            when 'year' then periods.period_year = year(latest_quarters.latest_quarter_start)
            -- the DfE publishes a year's children-in-need figures once, as final; a financial year
            -- made of quarters is as provisional as its newest quarter
            when 'financial_year' then coalesce(
                periods.period_start_date + interval 9 month = latest_quarters.latest_quarter_start, false
            )
        end as is_provisional,
        case
            when periods.missing_cells > 0 and periods.publisher_suppressed_cells > 0
                then 'suppressed by its publisher ([c] in the source)'
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
