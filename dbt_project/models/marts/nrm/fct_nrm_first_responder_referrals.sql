-- NRM referrals for the UK by first responder, exploitation type, age, gender and nationality, at
-- their natural grain. Each release publishes these tables for its own quarter only, so each
-- quarter comes from the latest vintage that published it. No total rows, no Total column.
with

cells as (
    select * from {{ ref('stg_nrm__first_responder_referrals') }}
),

final as (
    select
        cells.source_vintage,
        cells.period_label,
        cells.period_start_date,
        cells.period_year,
        cells.period_quarter,
        'K02000001' as area_code,
        cells.responder_type,
        cells.first_responder,
        cells.exploitation_type,
        cells.is_criminal_exploitation,
        cells.exploitation_group,
        cells.age_group,
        cells.gender,
        cells.nationality,
        cells.nationality_group,
        cells.referral_count,
        cells.value_flag
    from cells
    {{ join_latest_vintage('cells', per='period_label') }}
    where not cells.is_total_row and not cells.is_total_column
)

select * from final
