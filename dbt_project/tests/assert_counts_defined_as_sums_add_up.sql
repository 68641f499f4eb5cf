-- A count the seed indicator_counts defines as the sum of others (sum_of) must equal that sum
-- wherever every one of them is published for the same period, area and breakdown (e.g. all
-- referrals = referrals with known age + referrals with age unknown). Disclosure control relies
-- on these sums; a definition the data contradicts fails here.
with

cells as (
    select * from {{ ref('qa_indicator_count_cells') }}
),

counts as (
    select * from {{ ref('indicator_counts') }}
),

figures as (
    select count_name, period_label, area_code, breakdown, max(figure) as figure
    from cells
    where figure is not null
    group by all
),

sums as (
    select counts."count" as total_name, part.part_name
    from counts
    cross join unnest(string_split(counts.sum_of, ' ')) as part (part_name)
    where counts.sum_of is not null
),

parts as (
    select
        sums.total_name, figures.period_label, figures.area_code, figures.breakdown,
        count(*) as parts_published, sum(figures.figure) as sum_of_parts
    from sums
    inner join figures on sums.part_name = figures.count_name
    group by all
)

select
    parts.total_name, parts.period_label, parts.area_code, parts.breakdown,
    total.figure as total, parts.sum_of_parts
from parts
inner join figures as total
    on parts.total_name = total.count_name
    and parts.period_label = total.period_label
    and parts.area_code = total.area_code
    and parts.breakdown = total.breakdown
where parts.parts_published = (select count(*) from sums where sums.total_name = parts.total_name)
    and total.figure <> parts.sum_of_parts
