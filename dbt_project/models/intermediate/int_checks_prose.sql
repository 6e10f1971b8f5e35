-- Soft checks of what a report says in prose (severity warning):
--   prose_vs_table: a figure stated in a sentence equals the same figure in the report's own table
--     (table 三/四 for the 2019/2021 formats, the 统计表 for prose-era reports);
--   prose_outcome_sum: prose-era reports, the handled categories add up to the applications received;
--   year_in_prose: the statistics period named in the text is the report year.
-- Each check reads one report's own figures and cells: incremental by report.
-- depends_on: {{ ref('stg_pipeline__changed_reports') }}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_report_rows() }}",
) }}

with figures as (
    select * from {{ ref('stg_parsed__prose_figures') }}
    where position_in_report = 1 and value is not null and {{ changed_or_missing_reports('report_id') }}
),

-- only the columns the checks read (the CTE is materialized: labels and printed text would multiply it)
cells as (
    select
        report_id,
        table_code,
        row_code,
        column_code,
        value
    from {{ ref('stg_parsed__table_cells') }}
    where {{ changed_or_missing_reports('report_id') }}
),

reports as (
    select
        report_id,
        template_version,
        statistics_period_year,
        report_year
    from {{ ref('stg_parsed__reports') }}
    where parse_status <> 'rejected' and {{ changed_or_missing_reports('report_id') }}
),

table_values as (
    select
        report_id,
        'applications_received' as field,
        max(value) filter (where row_code = 'new_received') as table_value,
        count(value) filter (where row_code = 'new_received') = 1 as is_known
    from cells
    where table_code = 'table3' and column_code = 'total'
    group by report_id
    union all
    select
        report_id,
        'administrative_reconsiderations' as field,
        max(value) filter (where column_code = 'review.total') as table_value,
        count(value) filter (where column_code = 'review.total') = 1 as is_known
    from cells
    where table_code = 'table4'
    group by report_id
    union all
    select
        report_id,
        'administrative_lawsuits' as field,
        sum(value) filter (where column_code in ('direct.total', 'after_review.total')) as table_value,
        count(value) filter (where column_code in ('direct.total', 'after_review.total')) = 2 as is_known
    from cells
    where table_code = 'table4'
    group by report_id
    union all
    select
        report_id,
        row_code as field,
        value as table_value,
        value is not null as is_known
    from cells
    where table_code = 'stat_table' and column_code = 'year'
),

prose_vs_table as (
    select
        figures.report_id,
        'prose_vs_table' as check_code,
        figures.field as scope,
        figures.value as left_value,
        table_values.table_value as right_value,
        table_values.is_known as is_assessable
    from figures
    inner join table_values
        on figures.report_id = table_values.report_id and figures.field = table_values.field
    -- "在互联网上…公开办主动公开信息数" is the office's own count in some reports and the website total in
    -- others: it may help split a glued 统计表 run, but it is no evidence against the table.
    where figures.field <> 'proactive_website'
),

prose_outcome_sum as (
    select
        received.report_id,
        'prose_outcome_sum' as check_code,
        'total' as scope,
        received.value as left_value,
        sum(parts.value) as right_value,
        count(parts.value) >= 2 as is_assessable
    from figures as received
    inner join reports on received.report_id = reports.report_id and reports.template_version = 'prose'
    inner join figures as parts
        on received.report_id = parts.report_id and starts_with(parts.field, 'legacy_')
    where received.field = 'applications_received'
    group by received.report_id, received.value
),

year_in_prose as (
    select
        report_id,
        'year_in_prose' as check_code,
        'statistics_period' as scope,
        cast(statistics_period_year as double) as left_value,
        cast(report_year as double) as right_value,
        report_year is not null as is_assessable
    from reports
    where statistics_period_year is not null
),

unioned as (
    select * from prose_vs_table
    union all
    select * from prose_outcome_sum
    union all
    select * from year_in_prose
),

final as (
    select {{ check_result_columns('warning') }}
    from unioned
)

select * from final
