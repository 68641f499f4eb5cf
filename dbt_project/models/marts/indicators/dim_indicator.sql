-- The indicator catalogue, as users query it: its source worded as published (seed
-- source_publications), beside the landing source the figures arrive by.
with catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

publications as (
    select * from {{ ref('source_publications') }}
),

final as (
    select
        catalogue.indicator_id,
        catalogue.name,
        catalogue.definition,
        catalogue.numerator,
        catalogue.denominator,
        catalogue.numerator_count,
        catalogue.denominator_count,
        catalogue.unit,
        publications.published_as as source,
        catalogue.caveats,
        catalogue.first_comparable_period,
        catalogue.source as landing_source
    from catalogue
    inner join publications
        on catalogue.source_publication = publications.source_publication
)

select * from final
