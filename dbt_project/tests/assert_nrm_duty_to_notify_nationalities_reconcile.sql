{{ config(severity="warn") }}
-- A mismatch is a warning: it goes into the release's quality results.
-- Duty to Notify by nationality: the nationalities sum to the table's Total row, and that total is
-- the quarter's figure in the quarterly Duty to Notify table of the same vintage.
with by_nationality as (
    select
        source_vintage,
        period_label,
        sum(report_count) filter (where is_published_total) as published_total,
        sum(report_count) filter (where not is_published_total) as sum_of_nationalities
    from {{ ref('stg_nrm__duty_to_notify_by_nationality') }}
    group by all
),

quarterly as (
    select source_vintage, period_label, report_count
    from {{ ref('stg_nrm__duty_to_notify_reports') }}
    where not is_year_total
)

select by_nationality.*, quarterly.report_count as quarterly_table_figure
from by_nationality
left join quarterly using (source_vintage, period_label)
where by_nationality.published_total is distinct from by_nationality.sum_of_nationalities
   or (quarterly.report_count is not null and by_nationality.published_total is distinct from quarterly.report_count)
