-- Every NRM release vintage in the warehouse: the quarter it covers, its publication date and
-- the sha256 of the workbook it was read from. `source_vintage` in every fact joins here.
with

releases as (
    select * from {{ ref('stg_nrm__releases') }}
),

final as (
    select
        source_vintage,
        {{ period_label('period_year', 'period_quarter') }} as period_label,
        {{ period_start_date('period_year', 'period_quarter') }} as period_start_date,
        publication_date,
        publication_date_source,
        source_url,
        sha256,
        original_name,
        received_at,
        array_to_string(tables_not_published, '; ') as tables_not_published,
        source_vintage = max(source_vintage) over () as is_latest_vintage
    from releases
)

select * from final
