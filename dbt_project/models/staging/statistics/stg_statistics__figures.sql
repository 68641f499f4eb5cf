-- The figures of the official statistics tables (Children in Need, police recorded crime) from
-- loaded files: for each period, area and measure, the figure of the newest edition that has it (a
-- later edition's revisions win; an earlier edition still answers for periods it alone covers;
-- the same edition sent twice: the later file, the earlier one being superseded).
with

source as (
    select * from {{ source('statistics', 'published_statistics') }}
),

loaded as (
    select source.*, loaded_files.received_at
    from source
    {{ join_loaded_files('source') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by source, period, area_level, coalesce(area_code, area_name), measure
            order by source_vintage desc, received_at desc, file_id desc
        ) as edition_rank
    from loaded
),

final as (
    select
        file_id,
        source,
        source_vintage,
        period as period_label,
        -- a financial year '2024-25' starts on 1 April 2024; a quarter '2023-Q2' on 1 April 2023
        case
            when not contains(period, '-Q') then make_date(cast(left(period, 4) as integer), 4, 1)
            else make_date(cast(left(period, 4) as integer), 3 * (cast(right(period, 1) as integer) - 1) + 1, 1)
        end as period_start_date,
        case when not contains(period, '-Q') then 'financial_year' else 'quarter' end as period_type,
        area_level,
        area_code,
        area_name,
        measure,
        value,
        value_flag,
        source_row,
        source_column
    from ranked
    where edition_rank = 1
)

select * from final
