-- Reasonable- and conclusive-grounds decisions for the UK at their natural grain (stage x quarter
-- x age at exploitation x outcome), from the latest release vintage. No published totals.
with

cells as (
    select * from {{ ref('stg_nrm__decisions') }}
),

final as (
    select
        cells.source_vintage,
        cells.decision_stage,
        cells.period_label,
        cells.period_start_date,
        cells.period_year,
        cells.period_quarter,
        'K02000001' as area_code,
        cells.age_group,
        cells.outcome,
        cells.decision_count,
        cells.value_flag
    from cells
    {{ join_latest_vintage('cells') }}
    where not cells.is_published_total
)

select * from final
