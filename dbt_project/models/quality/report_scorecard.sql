-- One line per report for a reviewer: how its checks came out (dismissed failures apart), whether prose and
-- tables agree, pollution and parse issues.
with issues as (
    select
        report_id,
        count(*) as parse_issues
    from {{ ref('stg_parsed__parse_issues') }}
    group by report_id
),

per_report as (
    select
        report_id,
        count(*) filter (where status = 'pass') as checks_passed,
        count(*) filter (where counts_against_report) as checks_failed,
        count(*) filter (where status = 'fail' and review_verdict = 'dismissed') as checks_failed_dismissed,
        count(*) filter (where status = 'not_assessable') as checks_not_assessable,
        count(*) filter (where counts_against_report and severity = 'error') as hard_identities_failed,
        count(*) filter (where check_code = 'prose_vs_table' and status = 'pass') as prose_table_agreements,
        count(*) filter (where check_code = 'prose_vs_table' and status = 'fail') as prose_table_disagreements
    from {{ ref('identity_checks') }}
    group by report_id
),

final as (
    select
        reports.report_id,
        reports.source_path,
        reports.report_year,
        reports.template_version,
        reports.parse_status,
        reports.is_canonical,
        reports.is_polluted,
        coalesce(per_report.checks_passed, 0) as checks_passed,
        coalesce(per_report.checks_failed, 0) as checks_failed,
        coalesce(per_report.checks_failed_dismissed, 0) as checks_failed_dismissed,
        coalesce(per_report.checks_not_assessable, 0) as checks_not_assessable,
        coalesce(per_report.hard_identities_failed, 0) as hard_identities_failed,
        case
            when per_report.prose_table_agreements + per_report.prose_table_disagreements > 0
                then
                    per_report.prose_table_agreements
                    / (per_report.prose_table_agreements + per_report.prose_table_disagreements)
        end as prose_table_agreement,
        coalesce(issues.parse_issues, 0) as parse_issues
    from {{ ref('int_reports_deduplicated') }} as reports
    left join per_report on reports.report_id = per_report.report_id
    left join issues on reports.report_id = issues.report_id
)

select * from final
