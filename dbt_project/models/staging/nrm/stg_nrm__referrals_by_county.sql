-- NRM referrals in the release's quarter by the referral form's 'UK County' (the county table,
-- published from 2025: counties with at least one referral, no total row), from loaded files.
with

source as (
    select * from {{ source('nrm', 'nrm_cells') }}
    where table_key = 'nrm_referrals_by_county'
),

final as (
    select
        source.source_vintage,
        source.year as period_year,
        source.quarter as period_quarter,
        {{ period_label('source.year', 'source.quarter') }} as period_label,
        {{ period_start_date('source.year', 'source.quarter') }} as period_start_date,
        source.column_group as county,
        source.value as referral_count,
        source.value_flag,
        source.sheet_name,
        source.source_row
    from source
    {{ join_loaded_files('source') }}
)

select * from final
