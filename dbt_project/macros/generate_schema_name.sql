{# Use the schema names of the design (raw, staging, intermediate, marts) as they are, not prefixed
   with the target schema: users query marts.mart_prevention_indicators. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
