-- Duty to Notify reports (England and Wales) by nationality, per quarter, from the latest vintage
-- that published that quarter. The published Total row is left out.
with

reports as (
    select * from {{ ref('stg_nrm__duty_to_notify_by_nationality') }}
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
    {{ join_latest_vintage('reports', per='period_label') }}
    where not reports.is_published_total
)

select * from final
