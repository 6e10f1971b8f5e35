{#- The columns of a check that a printed total equals the sum of its parts, for one group by: the total is
    the row or column `total_condition` selects, the parts are the others, and all `input_count` cells must be
    stated (a blank is never taken for 0). Used by int_checks_template_identities for the applicant columns of
    table 三 and the result columns of table 四. -#}
{% macro total_vs_parts(check_code, scope, total_condition, input_count, inputs_named) -%}
    report_id,
    {{ check_code }} as check_code,
    {{ scope }} as scope,
    max(value) filter (where {{ total_condition }}) as left_value,
    sum(value) filter (where not ({{ total_condition }})) as right_value,
    count(value) = {{ input_count }} as is_assessable,
    ({{ input_count }} - count(value)) || ' of {{ input_count }} {{ inputs_named }} not stated' as missing_inputs
{%- endmacro %}
