-- Table cells of canonical reports with the report's keys, ready to pivot into facts.
with cells as (
    select * from {{ ref('stg_parsed__table_cells') }}
),

reports as (
    select * from {{ ref('int_reports_deduplicated') }}
    where is_canonical
),

final as (
    select
        cells.*,
        reports.agency_id,
        reports.region_code,
        reports.report_year,
        reports.template_version
    from cells
    inner join reports on cells.report_id = reports.report_id
)

select * from final
