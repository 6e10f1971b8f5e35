-- Soft checks of what a report says in prose (severity warning):
--   prose_vs_table: a figure stated in a sentence equals the same figure in the report's own table
--     (table 三/四 for the 2019/2021 formats, the 统计表 for prose-era reports);
--   prose_outcome_sum: prose-era reports, the handled categories add up to the applications answered
--     (or received, where the answered are not stated);
--   year_in_prose: the statistics period named in the text is the report year.
-- Each check reads one report's own figures and cells: incremental by report.
{{ refresh_by_report() }}

with figures as (
    {{ rows_of_changed_reports('stg_parsed__prose_figures', ['*'], 'position_in_report = 1 and value is not null') }}
),

-- only the columns the checks read (the CTE is materialized: labels and printed text would multiply it)
cells as (
    {{ rows_of_changed_reports(
        'stg_parsed__table_cells', ['report_id', 'table_code', 'row_code', 'column_code', 'value']
    ) }}
),

reports as (
    {{ rows_of_changed_reports(
        'stg_parsed__reports',
        ['report_id', 'template_version', 'statistics_period_year', 'report_year'],
        "parse_status <> 'rejected'"
    ) }}
),

-- the table cells that state the same figure as a prose field, and how many of them must be stated: table
-- 三's 总计 column, table 四's 行政复议 总计 and its two 行政诉讼 总计 (summed; table 四 is one row)
field_cells as (
    select
        field_cells.field,
        field_cells.table_code,
        field_cells.row_code,
        field_cells.column_code,
        field_cells.cells_needed
    from (
        values
        ('applications_received', 'table3', 'new_received', 'total', 1),
        ('carried_over', 'table3', 'carried_over', 'total', 1),
        ('replies_total', 'table3', 'total_processed', 'total', 1),
        ('carried_forward', 'table3', 'carried_forward', 'total', 1),
        ('legacy_granted', 'table3', 'disclosed', 'total', 1),
        ('legacy_partially_granted', 'table3', 'partially_disclosed', 'total', 1),
        ('administrative_reconsiderations', 'table4', 'reviews_and_litigation', 'review.total', 1),
        ('administrative_lawsuits', 'table4', 'reviews_and_litigation', 'direct.total', 2),
        ('administrative_lawsuits', 'table4', 'reviews_and_litigation', 'after_review.total', 2)
    ) as field_cells (field, table_code, row_code, column_code, cells_needed)
),

-- the stated values of those cells
field_values as (
    select
        cells.report_id,
        field_cells.field,
        cells.value
    from cells
    inner join field_cells
        on
            cells.table_code = field_cells.table_code
            and cells.row_code = field_cells.row_code
            and cells.column_code = field_cells.column_code
),

report_tables as (
    select distinct
        report_id,
        table_code
    from cells
    where table_code in ('table3', 'table4')
),

-- every field a report's tables could state (a report without table 四 has no reconsideration field)
expected_fields as (
    select distinct
        report_tables.report_id,
        field_cells.field,
        field_cells.cells_needed
    from report_tables
    inner join field_cells on report_tables.table_code = field_cells.table_code
),

table_values as (
    select
        expected_fields.report_id,
        expected_fields.field,
        sum(field_values.value) as table_value,
        count(field_values.value) = any_value(expected_fields.cells_needed) as is_known
    from expected_fields
    left join field_values
        on expected_fields.report_id = field_values.report_id and expected_fields.field = field_values.field
    group by expected_fields.report_id, expected_fields.field
    union all
    -- the prose era's 统计表: one row per field
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
