-- Which agencies have returned for each quarter, and which have not: every agency expected to
-- return (seed return_agencies, from the ONS lists) x every quarter for which any return arrived.
with

returns as (
    select * from {{ ref('fct_agency_returns') }}
),

agencies as (
    select * from {{ ref('return_agencies') }}
),

periods as (
    select distinct period_label, period_start_date, period_year, period_quarter from returns
),

agency_returns as (
    select distinct agency_code, period_label, file_id, first_received_at, is_on_time from returns
),

final as (
    select
        periods.period_label,
        periods.period_start_date,
        agencies.agency_code,
        agencies.agency_name,
        agencies.agency_type,
        agencies.country_code,
        agency_returns.agency_code is not null as has_returned,
        agency_returns.first_received_at,
        {{ return_deadline('periods.period_year', 'periods.period_quarter') }} as deadline_date,
        coalesce(agency_returns.is_on_time, false) as is_on_time,
        agency_returns.file_id as latest_file_id
    from periods
    cross join agencies
    left join agency_returns
        on agency_returns.agency_code = agencies.agency_code and agency_returns.period_label = periods.period_label
)

select * from final
