-- Duty to Notify reports per quarter, a count for England and Wales.
with

dtn_reports as (
    select * from {{ ref('fct_nrm_duty_to_notify_reports') }}
)

select
    'dtn_reports' as indicator_id, 'K04000001' as area_code, 'all' as breakdown, 'count' as unit,
    source_vintage, period_year, period_quarter, case when report_count is null then 1 else 0 end as missing_cells,
    report_count as numerator, null::bigint as denominator
from dtn_reports
