-- Every published cell of every loaded NRM file (all vintages), with a key that names the figure
-- independently of the vintage: the base of the revisions model.
with

source as (
    select * from {{ source('nrm', 'nrm_cells') }}
),

loaded_files as (
    select file_id from {{ ref('stg_audit__loaded_files') }}
),

final as (
    select
        source.source_vintage,
        source.table_key,
        {{ period_label('source.year', 'source.quarter') }} as period_label,
        coalesce(source.column_group, '') as column_group,
        source.column_label,
        source.value,
        source.value_flag
    from source
    inner join loaded_files on source.file_id = loaded_files.file_id
)

select * from final
