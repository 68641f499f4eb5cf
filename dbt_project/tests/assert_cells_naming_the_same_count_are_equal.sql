-- Disclosure control treats two published figures that name the same count (dim_indicator's
-- numerator_count / denominator_count) in the same period, area and breakdown as one number: the
-- relation must hold in the data, or the suppression would reason about a false one.
with

indicators as (
    select * from {{ ref('mart_prevention_indicators') }}
),

catalogue as (
    select * from {{ ref('dim_indicator') }}
),

cells as (
    select
        catalogue.numerator_count as count_name, indicators.period_label, indicators.area_code,
        indicators.breakdown, indicators.numerator as figure, indicators.indicator_id || '.numerator' as cell
    from indicators
    inner join catalogue on indicators.indicator_id = catalogue.indicator_id
    union all
    select
        catalogue.denominator_count, indicators.period_label, indicators.area_code,
        indicators.breakdown, indicators.denominator, indicators.indicator_id || '.denominator'
    from indicators
    inner join catalogue on indicators.indicator_id = catalogue.indicator_id
    where catalogue.denominator_count is not null
)

select
    count_name, period_label, area_code, breakdown,
    min(figure) as smallest, max(figure) as largest, string_agg(cell, ', ' order by cell) as cells
from cells
where figure is not null
group by all
having min(figure) <> max(figure)
