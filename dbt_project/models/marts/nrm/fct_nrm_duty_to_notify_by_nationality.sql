-- Duty to Notify reports (England and Wales) by nationality, per quarter, from the latest vintage
-- that published that quarter. The published Total row is left out.
with

reports as (
    select * from {{ ref('stg_nrm__duty_to_notify_by_nationality') }}
),

latest_vintage_per_quarter as (
    select period_label, max(source_vintage) as source_vintage from reports group by period_label
),

final as (
    select
        reports.source_vintage,
        reports.period_label,
        reports.period_start_date,
        reports.period_year,
        reports.period_quarter,
        'K04000001' as area_code,
        reports.nationality,
        reports.nationality_group,
        reports.report_count,
        reports.value_flag
    from reports
    inner join latest_vintage_per_quarter
        on reports.period_label = latest_vintage_per_quarter.period_label
        and reports.source_vintage = latest_vintage_per_quarter.source_vintage
    where not reports.is_published_total
)

select * from final
