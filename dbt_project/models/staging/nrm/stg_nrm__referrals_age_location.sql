-- One row per published cell of the referrals-by-age-and-location table (Table_2), from files that
-- are currently loaded (superseded re-uploads drop out), with labels turned into codes. The year's
-- total rows (quarter null) and the all-ages Total column are published totals: kept to reconcile,
-- never summed with their parts.
with

source as (
    select * from {{ source('nrm', 'nrm_cells') }}
    where table_key = 'nrm_referrals_age_location'
),

renamed as (
    select
        source.file_id,
        source.source_vintage,
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
        case source.column_label
            when 'Overseas' then 'overseas'
            when 'UK' then 'uk'
            when 'UK and Overseas' then 'uk_and_overseas'
            when 'Not specified or unknown' then 'unknown'
            when 'Total' then 'total'
        end as exploitation_location,
        source.column_label = 'Total' or source.column_group = 'Total' or source.quarter is null
            as is_published_total,
        source.quarter is null as is_year_total,
        source.value as referral_count,
        source.value_flag,
        source.sheet_name,
        source.source_row
    from source
    {{ join_loaded_files('source') }}
),

final as (
    select * from renamed
)

select * from final
