{# Joins that every staging model and fact needs, written once.

   join_loaded_files(alias): keep the rows of files the audit log holds as loaded (a superseded or
   quarantined file's rows never reach a model); its columns are then at hand as loaded_files.*.

   join_latest_vintage(alias, per): keep the rows of the newest release vintage loaded, overall
   (earlier quarters are revised in every release) or per `per` (e.g. period_label, for tables
   published for their own quarter only). #}

{% macro join_loaded_files(relation_alias) -%}
inner join {{ ref('stg_audit__loaded_files') }} as loaded_files
        on {{ relation_alias }}.file_id = loaded_files.file_id
{%- endmacro %}

{% macro join_latest_vintage(relation_alias, per=none) -%}
inner join (
        select {% if per %}{{ per }}, {% endif %}max(source_vintage) as source_vintage
        from {{ relation_alias }}{% if per %} group by {{ per }}{% endif %}
    ) as latest_vintage
        on {{ relation_alias }}.source_vintage = latest_vintage.source_vintage
        {%- if per %} and {{ relation_alias }}.{{ per }} = latest_vintage.{{ per }}{% endif %}
{%- endmacro %}
