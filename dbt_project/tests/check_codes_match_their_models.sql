-- The seed check_codes says which checks compare a report with other reports (basis cross_report). An
-- incremental build of quality.identity_checks rebuilds those codes' rows whole and the other codes' rows
-- report by report, so the seed must match the models: int_checks_cross_report writes cross_report codes
-- only, the per-report check models report codes only. Rows returned: codes in the wrong model.
with written as (
    select distinct
        check_code,
        'cross_report' as expected_basis
    from {{ ref('int_checks_cross_report') }}
    union all
    select distinct
        check_code,
        'report' as expected_basis
    from {{ ref('int_checks_template_identities') }}
    union all
    select distinct
        check_code,
        'report' as expected_basis
    from {{ ref('int_checks_prose') }}
)

select
    written.check_code,
    written.expected_basis,
    codes.basis as declared_basis
from written
left join {{ ref('check_codes') }} as codes on written.check_code = codes.check_code
where codes.basis is distinct from written.expected_basis
