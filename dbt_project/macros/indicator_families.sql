{# The indicators' family models, from the catalogue: each row names the model that computes its
   indicator (indicator_catalogue.family_model), so adding an indicator to a family is a catalogue
   row, and the unions over the families read no list of their own.

   union_indicator_families(prefix): `select * from` every family model the catalogue names whose
   name starts with `prefix`, sorted, joined by `union all`.

   dbt orders models by the ref() calls it finds when it parses the project, before any query can
   run, so the model calling this declares the catalogue and each family with a `-- depends_on:`
   line. The declarations and the catalogue must then agree: a family the catalogue names but the
   model does not declare fails the build (dbt's own check on ref), and so does a declared family
   no catalogue row names (below), which would otherwise drop out of the union unnoticed. #}

{% macro indicator_family_models(prefix) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set query -%}
        select distinct family_model from {{ ref('indicator_catalogue') }}
        where starts_with(family_model, '{{ prefix }}') order by family_model
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | list) }}
{%- endmacro %}

{% macro union_indicator_families(prefix) -%}
    {%- set families = indicator_family_models(prefix) -%}
    {%- if execute -%}
        {%- set declared = [] -%}
        {%- for node_id in model.depends_on.nodes -%}
            {%- set name = node_id.split('.')[-1] -%}
            {%- if name.startswith(prefix) -%}{%- do declared.append(name) -%}{%- endif -%}
        {%- endfor -%}
        {%- set unnamed = declared | reject('in', families) | list -%}
        {%- if unnamed or not families -%}
            {{ exceptions.raise_compiler_error(
                model.name ~ " declares the families " ~ (unnamed | join(', ')) ~ " that no row of the indicator"
                ~ " catalogue names (family_model), or the catalogue names no family starting with '" ~ prefix ~ "'"
            ) }}
        {%- endif -%}
    {%- endif -%}
    {%- for family in families %}
    select * from {{ ref(family) }}
    {%- if not loop.last %}
    union all
    {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
