-- Every published numerator and denominator named by the count it is (dim_indicator's
-- numerator_count / denominator_count): what disclosure control's relations are written over.
-- The tests assert_cells_naming_the_same_count_are_equal and assert_counts_defined_as_sums_add_up
-- check those relations hold in the data.
with

indicators as (
    select * from {{ ref('mart_prevention_indicators') }}
),

catalogue as (
    select * from {{ ref('dim_indicator') }}
)

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
