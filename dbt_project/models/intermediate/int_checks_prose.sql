-- Soft checks of what a report says in prose (severity warning):
--   prose_vs_table: a figure stated in a sentence equals the same figure in the report's own table
--     (table 三/四 for the 2019/2021 formats, the 统计表 for prose-era reports);
--   prose_outcome_sum: prose-era reports, the handled categories add up to the applications answered
--     (or received, where the answered are not stated);
--   year_in_prose: the statistics period named in the text is the report year.
-- Each check reads one report's own figures and cells: incremental by report.
{{ refresh_by_report() }}

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

-- the table 三 row (总计 column) that states the same figure as a prose field
table3_fields as (
    select
        field_rows.field,
        field_rows.row_code
    from (
        values
        ('applications_received', 'new_received'),
        ('carried_over', 'carried_over'),
        ('replies_total', 'total_processed'),
        ('carried_forward', 'carried_forward'),
        ('legacy_granted', 'disclosed'),
        ('legacy_partially_granted', 'partially_disclosed')
    ) as field_rows (field, row_code)
),

table3_reports as (
    select distinct report_id
    from cells
    where table_code = 'table3'
),

table_values as (
    select
        table3_reports.report_id,
        table3_fields.field,
        max(cells.value) as table_value,
        count(cells.value) = 1 as is_known
    from table3_reports
    cross join table3_fields
    left join cells
        on
            table3_reports.report_id = cells.report_id
            and cells.table_code = 'table3'
            and cells.column_code = 'total'
            and table3_fields.row_code = cells.row_code
    group by table3_reports.report_id, table3_fields.field
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
        table_values.is_known as is_assessable,
        'the table leaves this row blank' as missing_inputs
    from figures
    inner join table_values
        on figures.report_id = table_values.report_id and figures.field = table_values.field
    -- "在互联网上…公开办主动公开信息数" is the office's own count in some reports and the website total in
    -- others: it may help split a glued 统计表 run, but it is no evidence against the table.
    where figures.field <> 'proactive_website'
),

-- the categories break down the applications answered ("已答复的申请中…") where the report states that
-- number, else the applications received
handled as (
    select
        report_id,
        value
    from figures
    where field in ('replies_total', 'applications_received')
    qualify row_number() over (partition by report_id order by field = 'replies_total' desc) = 1
),

prose_outcome_sum as (
    select
        received.report_id,
        'prose_outcome_sum' as check_code,
        'total' as scope,
        received.value as left_value,
        sum(parts.value) as right_value,
        count(parts.value) >= 2 as is_assessable,
        'fewer than two outcome categories stated' as missing_inputs
    from handled as received
    inner join reports on received.report_id = reports.report_id and reports.template_version = 'prose'
    inner join figures as parts
        on received.report_id = parts.report_id and starts_with(parts.field, 'legacy_')
    group by received.report_id, received.value
),

year_in_prose as (
    select
        report_id,
        'year_in_prose' as check_code,
        'statistics_period' as scope,
        cast(statistics_period_year as double) as left_value,
        cast(report_year as double) as right_value,
        report_year is not null as is_assessable,
        'the report year is not known' as missing_inputs
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
