{#- Σ value over the rows matching condition, or NULL when any of them is blank: a blank is "not stated", and
    summing the others would count it as 0. NULL too when no row matches. -#}
{% macro sum_if_all_stated(value_column, condition) -%}
    case
        when count(*) filter (where {{ condition }}) = count({{ value_column }}) filter (where {{ condition }})
            then cast(sum({{ value_column }}) filter (where {{ condition }}) as bigint)
    end
{%- endmacro %}
