-- A calendar year's figures that are not those of its quarters (see qa_indicator_years).
select * from {{ ref('qa_indicator_years') }}
where not reconciles
