-- Table 三's outcome rows per applicant column, or a prose-era report's legacy categories (total only).
{{ refresh_by_report(canonical_only=true) }}

with outcome_codes as (
    select * from {{ ref('outcome_codes') }}
),

counts as (
    select * from {{ ref('int_fact_counts') }}
    where fact_table = 'fct_outcomes' and {{ changed_or_missing_reports('report_id', canonical_only=true) }}
),

final as (
    select
        counts.report_id,
        counts.agency_id,
        counts.region_code,
        counts.report_year,
        counts.applicant_type,
        outcome_codes.outcome_group,
        counts.measure as outcome_code,
        outcome_codes.label_zh,
        {{ count_or_null("counts.value") }} as count,
        counts.source
    from counts
    inner join outcome_codes on counts.measure = outcome_codes.outcome_code
)

select * from final
