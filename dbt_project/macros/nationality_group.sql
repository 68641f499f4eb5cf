{# Classify a published nationality label: dual nationalities are their own labels ('Albanian UK'),
   and any UK part makes a UK national. One definition for every table that has nationalities. #}
{% macro nationality_group(label) -%}
    case
        when {{ label }} = 'Total' then 'total'
        when {{ label }} = 'UK' or {{ label }} like '% UK' or {{ label }} like 'UK %' then 'uk'
        when {{ label }} in ('Unknown', 'Not specified or unknown') then 'unknown'
        else 'non_uk'
    end
{%- endmacro %}
