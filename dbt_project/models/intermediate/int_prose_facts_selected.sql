-- The prose-era figure that becomes a fact, per canonical prose report and field: the year column of the
-- report's own 统计表 where it has the row (source table), else the first statement of the field in the text
-- (source prose). Where the 统计表 covers a fact table at all (e.g. its reply rows), the prose is not mixed
-- into that fact table: the two break the replies down differently and would count one reply twice.
-- For the table formats the tables are the source of the facts, so they are not here.
with figures as (
    select
        report_id,
        field,
        value,
        char_start,
        char_end,
        sentence,
        'prose' as source,
        2 as preference
    from {{ ref('stg_parsed__prose_figures') }}
    where position_in_report = 1
),

stat_table as (
    select
        report_id,
        row_code as field,
        value,
        char_start,
        char_end,
        row_label_zh as sentence,
        'table' as source,
        1 as preference
    from {{ ref('stg_parsed__table_cells') }}
    where table_code = 'stat_table' and column_code = 'year' and cell_state <> 'text'
),

field_map as (
    select * from {{ ref('prose_field_facts') }}
    where fact_table is not null
),

table_covered as (
    select distinct
        stat_table.report_id,
        field_map.fact_table
    from stat_table
    inner join field_map on stat_table.field = field_map.field
),

candidates as (
    select figures.*
    from figures
    inner join field_map on figures.field = field_map.field
    left join table_covered
        on figures.report_id = table_covered.report_id and field_map.fact_table = table_covered.fact_table
    where table_covered.report_id is null
    union all
    select * from stat_table
),

preferred as (
    select
        *,
        row_number() over (partition by report_id, field order by preference asc) as preference_rank
    from candidates
),

reports as (
    select * from {{ ref('int_reports_deduplicated') }}
    where is_canonical and template_version = 'prose'
),

final as (
    select
        preferred.report_id,
        reports.agency_id,
        reports.region_code,
        reports.report_year,
        preferred.field,
        preferred.value,
        preferred.source,
        preferred.sentence,
        preferred.char_start,
        preferred.char_end,
        field_map.fact_table,
        field_map.measure,
        field_map.outcome_code,
        field_map.result_code
    from preferred
    inner join reports on preferred.report_id = reports.report_id
    inner join field_map on preferred.field = field_map.field
    where preferred.preference_rank = 1
)

select * from final
