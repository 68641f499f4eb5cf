-- The breakdowns that partition 'all', by source and dimension (the breakdown_families seed), with
-- each row's place in the seed: the report shows families and breakdowns in the order listed.
with families as (
    select
        *,
        rowid as seed_row
    from {{ ref('breakdown_families') }}
),

final as (
    select
        source,
        dimension,
        breakdown,
        dimension_label,
        label,
        row_number() over (order by seed_row) as listed_order
    from families
)

select * from final
