-- Every period a figure can be about: calendar quarters and years from the start of the NRM series
-- (2009 Q2) to the end of the current year, and the financial years (April to March) some sources use.
with

quarters as (
    select
        period_start_date,
        year(period_start_date) as period_year,
        quarter(period_start_date) as period_quarter
    from range(date '2009-04-01', date_trunc('year', current_date) + interval 1 year, interval 3 month)
        as dates (period_start_date)
),

final as (
    select
        {{ period_label('period_year', 'period_quarter') }} as period_label,
        'quarter' as period_type,
        cast(period_start_date as date) as period_start_date,
        cast(period_start_date + interval 3 month - interval 1 day as date) as period_end_date,
        period_year,
        period_quarter,
        -- the financial year (April to March) the quarter falls in, e.g. 2023-24
        case when period_quarter = 1 then period_year - 1 else period_year end as financial_year_start
    from quarters
    union all
    select distinct
        cast(period_year as varchar), 'year', make_date(period_year, 1, 1), make_date(period_year, 12, 31),
        period_year, null, null
    from quarters
    union all
    select distinct
        period_year || '-' || right(cast(period_year + 1 as varchar), 2), 'financial_year',
        make_date(period_year, 4, 1), make_date(period_year + 1, 3, 31), period_year, null, period_year
    from quarters
)

select * from final
