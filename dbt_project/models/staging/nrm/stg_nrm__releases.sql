-- One row per NRM release vintage currently loaded: which file, when GOV.UK published it (when
-- known), and which of the needed tables it did not publish.
with

releases as (
    select * from {{ source('nrm', 'nrm_releases') }}
),

final as (
    select
        releases.source_vintage,
        cast(regexp_extract(releases.source_vintage, 'nrm-(\d{4})-q(\d)', 1) as integer) as period_year,
        cast(regexp_extract(releases.source_vintage, 'nrm-(\d{4})-q(\d)', 2) as integer) as period_quarter,
        releases.publication_date,
        releases.publication_date_source,
        releases.source_url,
        releases.tables_not_published,
        loaded_files.file_id,
        loaded_files.sha256,
        loaded_files.original_name,
        loaded_files.received_at
    from releases
    {{ join_loaded_files('releases') }}
)

select * from final
