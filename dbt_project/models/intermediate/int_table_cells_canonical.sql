-- Table cells of canonical reports with the report's keys, ready to pivot into facts.
-- Incremental by report: changed reports are replaced, reports that lost the canonical choice of their
-- agency-year are deleted and reports that gained it are added (delete_changed_report_rows).
{{ refresh_by_report(canonical_only=true) }}

with cells as (
    select * from {{ ref('stg_parsed__table_cells') }}
    where {{ changed_or_missing_reports('report_id', canonical_only=true) }}
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
