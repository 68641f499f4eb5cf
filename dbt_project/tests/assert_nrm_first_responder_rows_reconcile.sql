{{ config(severity="warn") }}
-- A mismatch is a warning: it goes into the release's quality results; the indicators are computed from
-- the detail cells, never from the published totals.
-- In the first-responder tables each row's published 'Total' column equals the sum of its nationalities.
select
    source_vintage, responder_type, first_responder, exploitation_type, age_group, gender,
    sum(referral_count) filter (where is_total_column) as published_total,
    sum(referral_count) filter (where not is_total_column) as sum_of_nationalities
from {{ ref('stg_nrm__first_responder_referrals') }}
group by all
having published_total is distinct from sum_of_nationalities
