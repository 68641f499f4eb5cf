-- Which areas lie wholly inside which: an area in its parent (dim_area), each children's services
-- authority in the police force area that covers it (from its districts; a council whose districts
-- fall in two force areas straddles them and lies in neither), a council abolished since 2019 in
-- the force area of what replaced it, and every police force area of England and Wales in England
-- and Wales. Disclosure control derives "an area is the sum of the areas inside it" from this.
with

areas as (
    select * from {{ ref('dim_area') }}
),

districts as (
    select * from {{ ref('local_authorities') }}
),

former_councils as (
    select * from {{ ref('former_childrens_services_authorities') }}
),

council_forces as (
    select utla_code as area_code, pfa_code as parent_area_code
    from districts
    where pfa_code <> ''
    group by utla_code, pfa_code
),

straddling as (
    select area_code from council_forces group by area_code having count(*) > 1
),

former_council_forces as (
    select distinct former_councils.code as area_code, council_forces.parent_area_code
    from former_councils
    cross join unnest(string_split(former_councils.replaced_by, ' ')) as successors (successor)
    inner join council_forces on council_forces.area_code = successors.successor
),

memberships as (
    select area_code, parent_area_code, 'parent' as membership
    from areas
    where parent_area_code is not null
    union all
    select area_code, parent_area_code, 'police_force_area'
    from council_forces
    where area_code not in (select area_code from straddling)
    union all
    select area_code, parent_area_code, 'police_force_area'
    from former_council_forces
    where area_code not in (select area_code from former_council_forces group by area_code having count(*) > 1)
    union all
    select area_code, 'K04000001', 'england_and_wales'
    from areas
    where area_level = 'police_force_area'
)

select distinct area_code, parent_area_code, membership from memberships
