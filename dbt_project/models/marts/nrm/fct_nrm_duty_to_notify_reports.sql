-- Duty to Notify reports by quarter for England and Wales (K04000001), latest release vintage.
with

reports as (
    select * from {{ ref('stg_nrm__duty_to_notify_reports') }}
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
    {{ join_latest_vintage('reports') }}
    where not reports.is_year_total
)

select * from final
