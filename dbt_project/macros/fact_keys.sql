{#- The keys every fact row carries: its report and, for slicing without a join, the report's agency, region
    and year (int_fact_counts gives them to every fact table). -#}
{% macro fact_keys() -%}
    report_id, agency_id, region_code, report_year
{%- endmacro %}
