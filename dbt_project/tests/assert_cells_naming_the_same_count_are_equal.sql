-- Disclosure control treats two published figures that name the same count (dim_indicator's
-- numerator_count / denominator_count) in the same period, area and breakdown as one number: the
-- relation must hold in the data, or the suppression would reason about a false one.
with

cells as (
    select * from {{ ref('qa_indicator_count_cells') }}
)

select
    count_name, period_label, area_code, breakdown,
    min(figure) as smallest, max(figure) as largest, string_agg(cell, ', ' order by cell) as cells
from cells
where figure is not null
group by all
having min(figure) <> max(figure)
