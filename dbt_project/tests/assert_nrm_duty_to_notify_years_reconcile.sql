{{ config(severity="warn") }}
-- A mismatch is a warning: it goes into the release's quality results; the indicators are computed from
-- the detail cells, never from the published totals.
-- Duty to Notify: a year's published total = the sum of its quarters.
select
    source_vintage,
    period_year,
    sum(report_count) filter (where is_year_total) as published_total,
    sum(report_count) filter (where not is_year_total) as sum_of_quarters
from {{ ref('stg_nrm__duty_to_notify_reports') }}
group by source_vintage, period_year
having published_total is distinct from sum_of_quarters
