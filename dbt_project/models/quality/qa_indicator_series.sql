-- Every quarterly series of the indicator mart (indicator x area, breakdown 'all'): its first and
-- last quarter and how many quarters it holds. The quality gate's `indicator_series` suite holds a
-- release with a series that has a gap, or that stops before the newest quarter of its source (an
-- indicator silently missing from the latest period).
with

quarters as (
    select indicator_id, area_code, period_start_date
    from {{ ref('mart_prevention_indicators') }}
    where period_type = 'quarter' and breakdown = 'all'
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

publications as (
    select * from {{ ref('source_publications') }}
),

series_sources as (
    -- the source whose newest quarter a series must reach: the indicator's landing source, or its
    -- own table where the source publishes that in some releases only (the county table, from 2025)
    select
        catalogue.indicator_id,
        case
            when publications.is_in_every_release then catalogue.source
            else publications.source_publication
        end as source
    from catalogue
    inner join publications
        on catalogue.source_publication = publications.source_publication
),

series as (
    select
        quarters.indicator_id,
        quarters.area_code,
        series_sources.source,
        min(quarters.period_start_date) as first_quarter,
        max(quarters.period_start_date) as last_quarter,
        count(*) as quarters
    from quarters
    inner join series_sources
        on quarters.indicator_id = series_sources.indicator_id
    group by all
)

select
    indicator_id,
    area_code,
    source,
    first_quarter,
    last_quarter,
    quarters,
    quarters = date_diff('quarter', first_quarter, last_quarter) + 1 as has_every_quarter,
    last_quarter = max(last_quarter) over (partition by source) as reaches_newest_quarter,
    max(last_quarter) over (partition by source) as newest_quarter_of_source,
    indicator_id || ' ' || area_code || ': ' || quarters || ' quarters from ' || first_quarter
    || ' to ' || last_quarter || '; newest quarter of its source ' || newest_quarter_of_source as figures
from series
