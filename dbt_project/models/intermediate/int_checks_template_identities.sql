-- The template's hard identities (severity error), per report and scope: left, right, delta and a status.
-- A needed cell that is blank makes the check not_assessable: a blank is never taken for 0 to make a sum work.
-- Incremental by report: each check reads one report's cells only, so a build recomputes the changed reports.
{{ refresh_by_report() }}

-- only the columns the checks read: this CTE is materialized (read by several checks), and the labels and
-- printed text would make it several times larger (19 s instead of 7 at 100,000 reports)
with cells as (
    select
        cells.report_id,
        cells.table_code,
        cells.row_code,
        cells.column_code,
        cells.value,
        reports.template_version
    from {{ ref('stg_parsed__table_cells') }} as cells
    inner join {{ ref('stg_parsed__reports') }} as reports on cells.report_id = reports.report_id
    where cells.table_code in ('table3', 'table4') and {{ changed_or_missing_reports('cells.report_id') }}
),

table3 as (
    select * from cells
    where table_code = 'table3'
),

outcome_rows as (
    select
        outcome_code,
        unnest(string_split(template_versions, ';')) as template_version
    from {{ ref('outcome_codes') }}
    where outcome_group <> 'legacy' and not starts_with(outcome_code, 'legacy_')
),

expected_outcome_rows as (
    select
        template_version,
        count(*) as row_count
    from outcome_rows
    group by template_version
),

balance as (
    select
        report_id,
        'balance' as check_code,
        column_code as scope,
        max(value) filter (where row_code = 'new_received')
        + max(value) filter (where row_code = 'carried_over') as left_value,
        max(value) filter (where row_code = 'total_processed')
        + max(value) filter (where row_code = 'carried_forward') as right_value,
        count(value) filter (
            where row_code in ('new_received', 'carried_over', 'total_processed', 'carried_forward')
        ) = 4 as is_assessable,
        -- one count per row, not a list of the stated rows: lists of ~700,000 groups do not spill, and ran out
        -- of dbt's memory at 100,000 reports beside other models
        'not stated: ' || concat_ws(
            ', ',
            {% for code in ['new_received', 'carried_over', 'total_processed', 'carried_forward'] -%}
                if(count(value) filter (where row_code = '{{ code }}') = 0, '{{ code }}', null)
                {{- "," if not loop.last }}
            {% endfor %}
        ) as missing_inputs
    from table3
    group by report_id, column_code
),

outcome_sum as (
    select
        table3.report_id,
        'outcome_sum' as check_code,
        table3.column_code as scope,
        max(table3.value) filter (where table3.row_code = 'total_processed') as left_value,
        sum(table3.value) filter (where outcome_rows.outcome_code is not null) as right_value,
        count(table3.value) filter (where table3.row_code = 'total_processed') = 1
        and count(table3.value) filter (
            where outcome_rows.outcome_code is not null
        ) = max(expected_outcome_rows.row_count) as is_assessable,
        concat_ws(
            '; ',
            if(
                count(table3.value) filter (where table3.row_code = 'total_processed') = 0,
                'total_processed not stated',
                null
            ),
            if(
                count(table3.value) filter (where outcome_rows.outcome_code is not null)
                < max(expected_outcome_rows.row_count),
                concat(
                    max(expected_outcome_rows.row_count)
                    - count(table3.value) filter (where outcome_rows.outcome_code is not null),
                    ' of ',
                    max(expected_outcome_rows.row_count),
                    ' outcome rows not stated'
                ),
                null
            )
        ) as missing_inputs
    from table3
    left join outcome_rows
        on table3.row_code = outcome_rows.outcome_code and table3.template_version = outcome_rows.template_version
    left join expected_outcome_rows on table3.template_version = expected_outcome_rows.template_version
    group by table3.report_id, table3.column_code
),

-- a printed total and the parts it sums: each table 三 row's 总计 column and its six applicant types; each
-- table 四 group's 总计 and its four results (two aggregations: one over both tables ran out of dbt's memory at
-- 100,000 reports)
applicant_sum as (
    select
        {{ total_vs_parts(
            "'applicant_sum'", 'row_code', "column_code = 'total'", 7, 'columns (total and six applicant types)'
        ) }}
    from table3
    group by report_id, row_code
),

table4 as (
    select
        report_id,
        value,
        split_part(column_code, '.', 1) as group_code,
        split_part(column_code, '.', 2) as result_code
    from cells
    where table_code = 'table4'
),

group_sums as (
    select
        {{ total_vs_parts(
            "if(group_code = 'review', 'review_sum', 'litigation_sum')", 'group_code', "result_code = 'total'", 5,
            'cells (total and four results)'
        ) }}
    from table4
    group by report_id, group_code
),

unioned as (
    select * from balance
    union all
    select * from outcome_sum
    union all
    select * from applicant_sum
    union all
    select * from group_sums
),

final as (
    select {{ check_result_columns('error') }}
    from unioned
)

select * from final
