-- Every published cell of every loaded NRM file (all vintages), with a key that names the figure
-- independently of the vintage: the base of the revisions model.
with

source as (
    select * from {{ source('nrm', 'nrm_cells') }}
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
    {{ join_loaded_files('source') }}
)

select * from final
