-- How many reports each check could assess: a check that silently becomes not_assessable for most of the
-- reports it applies to is not doing its job. Per check code, over the reports with a row of that check
-- (the reports that print at least one of its inputs), and the most frequent reason it could not run. A
-- report whose every reason says it prints no input at all (reference.inputs_not_printed_reasons: a prose
-- report naming one outcome category) is left out of the share that measures the parser.
with checks as (
    select * from {{ ref('identity_checks') }}
),

per_report as (
    select
        checks.check_code,
        checks.report_id,
        bool_or(checks.status <> 'not_assessable') as is_assessed,
        bool_or(checks.counts_against_report) as is_failing,
        bool_and(not_printed.not_assessable_reason is not null) as prints_no_input
    from checks
    left join {{ ref('inputs_not_printed_reasons') }} as not_printed
        on
            checks.check_code = not_printed.check_code
            and checks.not_assessable_reason = not_printed.not_assessable_reason
    group by checks.check_code, checks.report_id
),

reasons as (
    select
        check_code,
        not_assessable_reason,
        count(*) as rows_with_reason
    from checks
    where not_assessable_reason is not null
    group by check_code, not_assessable_reason
    qualify row_number() over (partition by check_code order by count(*) desc, not_assessable_reason) = 1
),

coverage as (
    select
        check_code,
        count(*) as reports_with_check,
        count(*) filter (where is_assessed) as reports_assessed,
        count(*) filter (where not is_assessed) as reports_not_assessable,
        count(*) filter (where not is_assessed and prints_no_input) as reports_printing_no_input,
        count(*) filter (where is_failing) as reports_failing
    from per_report
    group by check_code
),

final as (
    select
        codes.check_code,
        codes.severity,
        coalesce(coverage.reports_with_check, 0) as reports_with_check,
        coalesce(coverage.reports_assessed, 0) as reports_assessed,
        coalesce(coverage.reports_not_assessable, 0) as reports_not_assessable,
        coverage.reports_assessed / nullif(coverage.reports_with_check, 0) as assessed_share,
        coalesce(coverage.reports_printing_no_input, 0) as reports_printing_no_input,
        coverage.reports_assessed
        / nullif(coverage.reports_with_check - coverage.reports_printing_no_input, 0) as assessed_share_where_printed,
        coalesce(coverage.reports_failing, 0) as reports_failing,
        reasons.not_assessable_reason as most_frequent_reason
    from {{ ref('check_codes') }} as codes
    left join coverage on codes.check_code = coverage.check_code
    left join reasons on codes.check_code = reasons.check_code
)

select * from final
