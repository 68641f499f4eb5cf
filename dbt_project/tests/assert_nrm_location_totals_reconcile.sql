{{ config(severity="warn") }}
-- A mismatch is a warning: it goes into the release's quality results; the indicators are computed from
-- the detail cells, never from the published totals.
-- The published 'Total' location of each age group equals the sum of its locations, in every
-- vintage loaded. A row here is a published total that does not add up.
with cells as (
    select * from {{ ref('stg_nrm__referrals_age_location') }}
),

reconciled as (
    select
        source_vintage,
        period_label,
        age_group,
        sum(referral_count) filter (where is_published_total) as published_total,
        sum(referral_count) filter (where not is_published_total) as sum_of_parts
    from cells
    group by all
)

select * from reconciled
where published_total is distinct from sum_of_parts
