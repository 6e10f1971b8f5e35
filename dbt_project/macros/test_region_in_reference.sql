{#- Generic test: every region code of the model is a division of the region reference.
    A code the reference lacks is a condition of the data (a division, or a unit such as a development zone,
    that the shipped reference does not hold), not a broken model: it warns instead of blocking the publish,
    and its stored failures list the rows (`list_columns`, e.g. the reports) that the warning names. -#}
{% test region_in_reference(model, column_name, to, field, list_columns) %}
{{ config(severity='warn', store_failures=true) }}
select
    {% for column in list_columns %}child.{{ column }}, {% endfor %}
    child.{{ column_name }} as missing_region_code
from {{ model }} as child
anti join {{ to }} as reference on child.{{ column_name }} = reference.{{ field }}
where child.{{ column_name }} is not null
{% endtest %}
