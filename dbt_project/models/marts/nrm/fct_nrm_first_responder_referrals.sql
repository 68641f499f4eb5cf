-- NRM referrals for the UK by first responder, exploitation type, age, gender and nationality, at
-- their natural grain. Each release publishes these tables for its own quarter only, so each
-- quarter comes from the latest vintage that published it. No total rows, no Total column.
with

cells as (
    select * from {{ ref('stg_nrm__first_responder_referrals') }}
),

latest_vintage_per_quarter as (
    select period_label, max(source_vintage) as source_vintage from cells group by period_label
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
    inner join latest_vintage_per_quarter
        on cells.period_label = latest_vintage_per_quarter.period_label
        and cells.source_vintage = latest_vintage_per_quarter.source_vintage
    where not cells.is_total_row and not cells.is_total_column
)

select * from final
