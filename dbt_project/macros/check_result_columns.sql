{#- The result columns every check model ends with: values only where assessable, delta, status, severity,
    and for a check that could not run, which input was missing (each check's missing_inputs).
    A blank needed cell makes a check not_assessable; it is never read as 0. -#}
{% macro check_result_columns(severity) -%}
    report_id,
    check_code,
    scope,
    case when is_assessable then left_value end as left_value,
    case when is_assessable then right_value end as right_value,
    case when is_assessable then left_value - right_value end as delta,
    case
        when not is_assessable then 'not_assessable'
        when left_value = right_value then 'pass'
        else 'fail'
    end as status,
    '{{ severity }}' as severity,
    case when not is_assessable then coalesce(nullif(missing_inputs, ''), 'an input is not stated') end
        as not_assessable_reason
{%- endmacro %}
