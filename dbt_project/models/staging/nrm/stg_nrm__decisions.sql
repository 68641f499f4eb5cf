-- Reasonable- and conclusive-grounds decisions: one row per published cell of loaded files,
-- labels as codes, the published totals (outcome total, all ages, the year's row) flagged.
with

source as (
    select * from {{ source('nrm', 'nrm_cells') }}
    where table_key in ('nrm_reasonable_grounds', 'nrm_conclusive_grounds')
),

renamed as (
    select
        source.file_id,
        source.source_vintage,
        case source.table_key
            when 'nrm_reasonable_grounds' then 'reasonable_grounds'
            when 'nrm_conclusive_grounds' then 'conclusive_grounds'
        end as decision_stage,
        source.year as period_year,
        source.quarter as period_quarter,
        {{ period_label('source.year', 'source.quarter') }} as period_label,
        {{ period_start_date('source.year', 'source.quarter') }} as period_start_date,
        case source.column_group
            when 'Adult (18 or over)' then 'adult'
            when 'Child (17 or under)' then 'child'
            when 'Age not specified or unknown' then 'unknown'
            when 'Total' then 'all'
        end as age_group,
        lower(source.column_label) as outcome,
        source.quarter is null as is_year_total,
        source.value as decision_count,
        source.value_flag,
        source.sheet_name,
        source.source_row
    from source
    {{ join_loaded_files('source') }}
),

final as (
    select
        *,
        is_year_total or outcome = 'total' or age_group = 'all' as is_published_total
    from renamed
)

select * from final
