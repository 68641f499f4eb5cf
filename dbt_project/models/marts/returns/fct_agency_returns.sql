-- Agency returns at their natural grain: one row per agency x quarter x measure, from the latest
-- return for that agency and quarter (a resubmission replaces the earlier one; history stays in raw).
with

returns as (
    select * from {{ ref('stg_returns__agency_returns') }}
),

agencies as (
    select * from {{ ref('return_agencies') }}
),

final as (
    select
        returns.period_label,
        returns.period_start_date,
        returns.period_year,
        returns.period_quarter,
        returns.agency_code,
        agencies.agency_name,
        returns.agency_type,
        agencies.country_code,
        returns.measure,
        returns.value,
        returns.value_flag,
        returns.file_id,
        returns.received_at,
        returns.first_received_at,
        {{ return_deadline('returns.period_year', 'returns.period_quarter') }} as deadline_date,
        cast(returns.first_received_at as date) <= {{ return_deadline('returns.period_year', 'returns.period_quarter') }}
            as is_on_time
    from returns
    inner join agencies on returns.agency_code = agencies.agency_code
    where returns.submission_rank = 1
)

select * from final
