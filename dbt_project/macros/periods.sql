{# One way to name and date a period everywhere: a quarter is '2023-Q4' starting 2023-10-01; a null
   quarter is the calendar year ('2023', starting 2023-01-01). #}
{% macro period_label(year, quarter) -%}
    case when {{ quarter }} is null then cast({{ year }} as varchar) else {{ year }} || '-Q' || {{ quarter }} end
{%- endmacro %}

{% macro period_start_date(year, quarter) -%}
    make_date({{ year }}, coalesce(3 * ({{ quarter }} - 1) + 1, 1), 1)
{%- endmacro %}
