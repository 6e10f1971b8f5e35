-- Every check of every report: the template's hard identities (error) and the soft checks across years and
-- between prose and tables (warning), with the human review verdict where a reviewer gave one. A dismissed
-- failure stays visible but no longer counts against the report.
-- Incremental: a build rebuilds the rows of the reports in the ledger and of the reports with a review verdict
-- (now or before), and every cross-report check (macros/refresh_by_report.sql says why).
{{ refresh_by_report(rechecked=true) }}

{#- compiled once: on an incremental build it reads the ledger and the verdicts -#}
{%- set rechecked = rechecked_reports('report_id') %}

with checks as (
    select * from {{ ref('int_checks_template_identities') }}
    where {{ rechecked }}
    union all
    select * from {{ ref('int_checks_prose') }}
    where {{ rechecked }}
    union all
    select * from {{ ref('int_checks_cross_report') }}
),

reports as (
    select
        report_id,
        content_sha256
    from {{ ref('int_reports_deduplicated') }}
),

verdicts as (
    -- a reviewer's file may repeat a key or hold a verdict outside the list (its staging tests warn):
    -- only valid verdicts count, the latest of a key winning (confirmed on a tie: the failure keeps counting)
    select * from {{ ref('stg_landing__review_verdicts') }}
    where verdict in ('dismissed', 'confirmed')
    qualify row_number() over (
        partition by content_sha256, check_code, scope order by reviewed_on desc nulls last, verdict asc
    ) = 1
),

final as (
    select
        checks.report_id,
        checks.check_code,
        checks.scope,
        checks.left_value,
        checks.right_value,
        checks.delta,
        checks.status,
        checks.severity,
        checks.not_assessable_reason,
        verdicts.verdict as review_verdict,
        verdicts.note as review_note,
        checks.status = 'fail' and coalesce(verdicts.verdict, '') <> 'dismissed' as counts_against_report
    from checks
    inner join reports on checks.report_id = reports.report_id
    left join verdicts
        on
            reports.content_sha256 = verdicts.content_sha256
            and checks.check_code = verdicts.check_code
            and checks.scope = verdicts.scope
)

select * from final
