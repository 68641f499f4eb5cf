-- The indicator catalogue, as users query it.
with catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

final as (
    select
        indicator_id,
        name,
        definition,
        numerator,
        denominator,
        numerator_count,
        denominator_count,
        unit,
        source,
        caveats,
        first_comparable_period
    from catalogue
)

select * from final
