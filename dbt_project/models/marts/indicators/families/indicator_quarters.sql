-- Every indicator per quarter, one model per source family unioned: an indicator is added by a
-- family model (or a branch of one) and a catalogue row.
with

families as (
    select * from {{ ref('indicator_quarters__nrm_referrals') }}
    union all
    select * from {{ ref('indicator_quarters__nrm_decisions') }}
    union all
    select * from {{ ref('indicator_quarters__nrm_first_responders') }}
    union all
    select * from {{ ref('indicator_quarters__nrm_duty_to_notify') }}
    union all
    select * from {{ ref('indicator_quarters__returns') }}
    union all
    select * from {{ ref('indicator_quarters__police_forces') }}
    union all
    select * from {{ ref('indicator_quarters__police_recorded_crime') }}
    union all
    select * from {{ ref('indicator_quarters__nrm_counties') }}
)

select
    *,
    'quarter' as period_type,
    {{ period_label('period_year', 'period_quarter') }} as period_label,
    {{ period_start_date('period_year', 'period_quarter') }} as period_start_date
from families
