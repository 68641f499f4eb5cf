-- Every count an indicator is made of (the indicator_counts seed), as publish reads it: the
-- definitions disclosure control derives the relations between published cells from.
with counts as (
    select * from {{ ref('indicator_counts') }}
),

final as (
    select
        "count",
        description,
        sum_of,
        over_a_year,
        published_in_table,
        published_column_group,
        published_column_label,
        published_area_code,
        already_published
    from counts
)

select * from final
