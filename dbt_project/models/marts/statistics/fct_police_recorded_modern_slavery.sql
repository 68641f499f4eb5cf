-- Police recorded modern slavery offences (Home Office offence code 106) per police force and
-- calendar quarter (the publisher's financial quarter 1 of 2023/24 is 2023-Q2). Offences are of
-- victims of all ages. British Transport Police has no police force area: area_code is null.
select
    period_label,
    period_start_date,
    cast(left(period_label, 4) as integer) as period_year,
    cast(right(period_label, 1) as integer) as period_quarter,
    area_code,
    area_name as force_name,
    area_code is not null as is_police_force_area,
    value as offences,
    value_flag,
    source_vintage,
    file_id,
    source_row
from {{ ref('stg_statistics__figures') }}
where source = 'police_recorded_crime'
