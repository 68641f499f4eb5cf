{# The last day a return for the quarter is on time: CTM_RETURN_DEADLINE_DAYS after the quarter ends
   (set by transform.build from the settings or the return definition). #}
{% macro return_deadline(year, quarter) -%}
    (make_date({{ year }}, 3 * {{ quarter }}, 1) + interval 1 month - interval 1 day
        + interval ({{ env_var('CTM_RETURN_DEADLINE_DAYS') }}) day)::date
{%- endmacro %}
