-- The DfE's Children in Need factors at the end of assessment, by council, region and England,
-- per year ending 31 March (financial year label '2024-25'): one row per area x year x factor.
-- Counts are of assessment episodes with the factor, not of children; the DfE's own suppression
-- (value_flag 'c') and rounding (England and regions to the nearest 10) are as published.
select
    period_label,
    period_start_date,
    area_level,
    area_code,
    area_name,
    measure as factor,
    value as episodes,
    value_flag,
    source_vintage,
    file_id,
    source_row
from {{ ref('stg_statistics__figures') }}
where source = 'children_in_need'
