-- Every indicator per quarter: the family models the indicator catalogue names (family_model),
-- unioned. An indicator is added by a catalogue row and a family model (or a branch of one).
-- dbt orders models by what they declare when it parses, before the catalogue can be read: each
-- family is declared here too, and the build fails if the two disagree (macros/indicator_families.sql).
-- depends_on: {{ ref('indicator_catalogue') }}
-- depends_on: {{ ref('indicator_quarters__nrm_counties') }}
-- depends_on: {{ ref('indicator_quarters__nrm_decisions') }}
-- depends_on: {{ ref('indicator_quarters__nrm_duty_to_notify') }}
-- depends_on: {{ ref('indicator_quarters__nrm_first_responders') }}
-- depends_on: {{ ref('indicator_quarters__nrm_referrals') }}
-- depends_on: {{ ref('indicator_quarters__police_forces') }}
-- depends_on: {{ ref('indicator_quarters__police_recorded_crime') }}
-- depends_on: {{ ref('indicator_quarters__returns') }}
with

families as (
    {{ union_indicator_families('indicator_quarters__') }}
)

select
    *,
    'quarter' as period_type,
    {{ period_label('period_year', 'period_quarter') }} as period_label,
    {{ period_start_date('period_year', 'period_quarter') }} as period_start_date
from families
