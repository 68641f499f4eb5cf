-- Duty to Notify reports (England and Wales) by quarter; the year's published total row flagged.
with

source as (
    select * from {{ source('nrm', 'nrm_cells') }}
    where table_key = 'nrm_duty_to_notify'
),

final as (
    select
        source.file_id,
        source.source_vintage,
        source.year as period_year,
        source.quarter as period_quarter,
        {{ period_label('source.year', 'source.quarter') }} as period_label,
        {{ period_start_date('source.year', 'source.quarter') }} as period_start_date,
        source.quarter is null as is_year_total,
        source.value as report_count,
        source.value_flag
    from source
    {{ join_loaded_files('source') }}
)

select * from final
