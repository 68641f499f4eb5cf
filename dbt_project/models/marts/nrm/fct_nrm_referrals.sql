-- NRM referrals at their natural grain (quarter x age at exploitation x location of exploitation)
-- for the UK, from the latest release vintage loaded. Published totals are left out.
with

cells as (
    select * from {{ ref('stg_nrm__referrals_age_location') }}
),

final as (
    select
        cells.source_vintage,
        cells.period_label,
        cells.period_start_date,
        cells.period_year,
        cells.period_quarter,
        'K02000001' as area_code,
        cells.age_group,
        cells.exploitation_location,
        cells.referral_count,
        cells.value_flag
    from cells
    {{ join_latest_vintage('cells') }}
    where not cells.is_published_total
)

select * from final
