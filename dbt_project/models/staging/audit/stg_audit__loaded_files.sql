-- The files whose rows are current: loaded and not since superseded by a corrected re-upload or a
-- later return. Every staging model keeps only rows from these files.
with

file_log as (
    select * from {{ source('audit', 'file_log') }}
),

final as (
    select
        file_id,
        sha256,
        source,
        original_name,
        received_at,
        release_id
    from file_log
    where status = 'loaded'
)

select * from final
