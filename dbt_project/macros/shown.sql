{# A value as text for a check's `figures` column: 'null' when missing, so the message says so. #}
{% macro shown(expression) -%}
    coalesce(cast({{ expression }} as varchar), 'null')
{%- endmacro %}
