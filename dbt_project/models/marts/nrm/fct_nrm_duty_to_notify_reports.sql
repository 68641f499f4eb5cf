-- Duty to Notify reports by quarter for England and Wales (K04000001), latest release vintage.
with

reports as (
    select * from {{ ref('stg_nrm__duty_to_notify_reports') }}
),

latest_vintage as (
    select max(source_vintage) as source_vintage from reports
),

final as (
    select
        reports.source_vintage,
        reports.period_label,
        reports.period_start_date,
        reports.period_year,
        reports.period_quarter,
        'K04000001' as area_code,
        reports.report_count,
        reports.value_flag
    from reports
    inner join latest_vintage on reports.source_vintage = latest_vintage.source_vintage
    where not reports.is_year_total
)

select * from final
