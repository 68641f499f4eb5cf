-- Every value of every current return file, with the quarter parsed and each (agency, quarter)
-- return ranked by arrival: rank 1 is the latest, the one the marts use; earlier ones are history.
-- Arrival is when the file landed (audit.file_log.received_at), not when it was ingested.
with

source as (
    select * from {{ source('returns', 'agency_returns') }}
),

-- the first valid file of each (agency, quarter) decides whether the return was on time, even
-- when a later correction has replaced it
first_arrivals as (
    select source.agency_code, source.period, min(file_log.received_at) as first_received_at
    from source
    inner join {{ source('audit', 'file_log') }} as file_log
        on source.file_id = file_log.file_id and file_log.status in ('loaded', 'superseded')
    group by all
),

parsed as (
    select
        source.file_id,
        loaded_files.received_at,
        source.agency_code,
        source.submitted_code,
        source.agency_type,
        cast(split_part(source.period, '-Q', 1) as integer) as period_year,
        cast(split_part(source.period, '-Q', 2) as integer) as period_quarter,
        source.measure,
        source.value,
        source.value_flag,
        source.source_row,
        first_arrivals.first_received_at
    from source
    {{ join_loaded_files('source') }}
    inner join first_arrivals on source.agency_code = first_arrivals.agency_code and source.period = first_arrivals.period
),

final as (
    select
        *,
        {{ period_label('period_year', 'period_quarter') }} as period_label,
        {{ period_start_date('period_year', 'period_quarter') }} as period_start_date,
        dense_rank() over (
            partition by agency_code, period_year, period_quarter order by received_at desc, file_id desc
        ) as submission_rank
    from parsed
)

select * from final
