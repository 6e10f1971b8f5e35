{#- Use the folder's schema name as is (marts, quality, ...) instead of dbt's "<target>_<custom>"
    default: the contract names the schemas analysts query. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
