{#- A count cell as bigint, or NULL when the printed value is not a whole number (never rounded). -#}
{% macro count_or_null(value_expression) -%}
    case when {{ value_expression }} = floor({{ value_expression }}) then cast({{ value_expression }} as bigint) end
{%- endmacro %}
