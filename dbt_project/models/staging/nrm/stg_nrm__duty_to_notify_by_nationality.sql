-- Duty to Notify reports in the release's quarter by nationality (dual nationalities as published),
-- nationalities classified, the published 'Total' row flagged.
with

source as (
    select * from {{ source('nrm', 'nrm_cells') }}
    where table_key = 'nrm_duty_to_notify_by_nationality'
),

final as (
    select
        source.source_vintage,
        source.year as period_year,
        source.quarter as period_quarter,
        {{ period_label('source.year', 'source.quarter') }} as period_label,
        {{ period_start_date('source.year', 'source.quarter') }} as period_start_date,
        source.column_group as nationality,
        {{ nationality_group('source.column_group') }} as nationality_group,
        source.column_group = 'Total' as is_published_total,
        source.value as report_count,
        source.value_flag
    from source
    {{ join_loaded_files('source') }}
)

select * from final
