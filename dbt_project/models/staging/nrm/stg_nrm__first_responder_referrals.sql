-- Referrals by first responder x exploitation type x age x gender x nationality, from loaded files,
-- labels normalised (line breaks, stray spaces), nationalities classified (dual ones included), and
-- published totals (total rows and the Total column) flagged. The period is the release's quarter.
with

source as (
    select * from {{ source('nrm', 'nrm_first_responder_cells') }}
),

normalised as (
    select
        source.*,
        trim(regexp_replace(source.exploitation_type, '\s+', ' ', 'g')) as exploitation_label,
        trim(regexp_replace(source.nationality, '\s+', ' ', 'g')) as nationality_label,
        cast(regexp_extract(source.source_vintage, 'nrm-(\d{4})-q(\d)', 1) as integer) as period_year,
        cast(regexp_extract(source.source_vintage, 'nrm-(\d{4})-q(\d)', 2) as integer) as period_quarter
    from source
    {{ join_loaded_files('source') }}
),

final as (
    select
        file_id,
        source_vintage,
        case table_key
            when 'nrm_referrals_government' then 'government_agency'
            when 'nrm_referrals_ngo' then 'ngo'
            when 'nrm_referrals_police' then 'police'
            when 'nrm_referrals_local_authority' then 'local_authority'
        end as responder_type,
        period_year,
        period_quarter,
        {{ period_label('period_year', 'period_quarter') }} as period_label,
        {{ period_start_date('period_year', 'period_quarter') }} as period_start_date,
        first_responder,
        exploitation_label as exploitation_type,
        exploitation_label like '%Criminal%' as is_criminal_exploitation,
        -- A partition of referrals (each counted once): one type alone, or 'multiple' for combinations.
        case
            when exploitation_label = 'Total' then 'total'
            when exploitation_label = 'Not specified or unknown' then 'unknown'
            when exploitation_label like '%&%' or exploitation_label like '%,%' then 'multiple'
            when exploitation_label = 'Domestic' then 'domestic_servitude'
            else replace(lower(exploitation_label), ' ', '_')
        end as exploitation_group,
        case age_at_exploitation
            when 'Adult (18 or over)' then 'adult'
            when 'Child (17 or under)' then 'child'
            when 'Age not specified or unknown' then 'unknown'
            when 'Total' then 'total'
        end as age_group,
        -- 'Not Recorded' (2022 Q2) -> not_recorded; 'Unknown' (police, 2023) named apart from the
        -- exploitation group 'unknown'; any new label loads as itself
        case when gender = 'Unknown' then 'gender_unknown' else replace(lower(gender), ' ', '_') end as gender,
        nationality_label as nationality,
        {{ nationality_group('nationality_label') }} as nationality_group,
        first_responder like '% total' or exploitation_label = 'Total' or age_at_exploitation = 'Total'
            or gender = 'Total' as is_total_row,
        nationality_label = 'Total' as is_total_column,
        value as referral_count,
        value_flag,
        sheet_name,
        source_row
    from normalised
)

select * from final
