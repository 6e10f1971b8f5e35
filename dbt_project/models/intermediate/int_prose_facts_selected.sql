-- The prose figure that becomes a fact: canonical prose-era reports only (for the table formats the table is
-- the source of the facts), the first statement of each field in the text, mapped to its fact table.
with figures as (
    select * from {{ ref('stg_parsed__prose_figures') }}
    where position_in_report = 1
),

reports as (
    select * from {{ ref('int_reports_deduplicated') }}
    where is_canonical and template_version = 'prose'
),

field_map as (
    select * from {{ ref('prose_field_facts') }}
    where fact_table is not null
),

final as (
    select
        figures.report_id,
        reports.agency_id,
        reports.region_code,
        reports.report_year,
        figures.field,
        figures.value,
        figures.sentence,
        figures.char_start,
        figures.char_end,
        field_map.fact_table,
        field_map.measure,
        field_map.outcome_code,
        field_map.result_code
    from figures
    inner join reports on figures.report_id = reports.report_id
    inner join field_map on figures.field = field_map.field
)

select * from final
