-- Table 三's rows 一, 二, 三（七） and 四 per applicant column, pivoted to one row per report and applicant
-- type; a prose-era report gives one row (total) with what its text or 统计表 states. Incremental by report
-- (canonical reports only), like every fact table.
{{ refresh_by_report(canonical_only=true) }}

with counts as (
    select * from {{ ref('int_fact_counts') }}
    where fact_table = 'fct_applications' and {{ changed_or_missing_reports('report_id', canonical_only=true) }}
),

final as (
    select
        report_id,
        agency_id,
        region_code,
        report_year,
        applicant_type,
        {{ count_or_null("max(value) filter (where measure = 'new_received')") }} as new_received,
        {{ count_or_null("max(value) filter (where measure = 'carried_over')") }} as carried_over,
        {{ count_or_null("max(value) filter (where measure = 'total_processed')") }} as total_processed,
        {{ count_or_null("max(value) filter (where measure = 'carried_forward')") }} as carried_forward,
        min(source) as source
    from counts
    group by report_id, agency_id, region_code, report_year, applicant_type, origin
)

select * from final
