-- Every count an indicator names (numerator_count, denominator_count, without a [filter]) and every
-- count a count is the sum of is defined in the seed indicator_counts: disclosure control derives
-- the relations between published cells from these names, so an unknown one is an error.
with

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

counts as (
    select * from {{ ref('indicator_counts') }}
),

defined as (
    select split_part("count", '[', 1) as count_id from counts
),

named as (
    select indicator_id as named_by, split_part(numerator_count, '[', 1) as count_id from catalogue
    union all
    select indicator_id, split_part(denominator_count, '[', 1) from catalogue where denominator_count is not null
    union all
    select "count", unnest(string_split(sum_of, ' ')) from counts where sum_of is not null
)

select named.named_by, named.count_id
from named
left join defined on named.count_id = defined.count_id
where defined.count_id is null
