-- Revisions: every published NRM figure in every vintage loaded, beside its value in the previous
-- vintage that had it. The Home Office revises earlier quarters in every release; this shows how.
with

cells as (
    select * from {{ ref('stg_nrm__cells') }}
),

with_previous as (
    select
        table_key,
        period_label,
        column_group,
        column_label,
        source_vintage,
        value,
        value_flag,
        lag(source_vintage) over figure as previous_vintage,
        lag(value) over figure as previous_value
    from cells
    window figure as (partition by table_key, period_label, column_group, column_label order by source_vintage)
),

final as (
    select
        *,
        value - previous_value as change,
        previous_vintage is not null and value is distinct from previous_value as is_revised,
        previous_vintage is null as is_first_published
    from with_previous
)

select * from final
