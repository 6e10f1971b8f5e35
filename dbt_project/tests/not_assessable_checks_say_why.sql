-- A check that could not run says which input was missing, and a check that ran carries no such reason.
select
    report_id,
    check_code,
    scope,
    status,
    not_assessable_reason
from {{ ref('identity_checks') }}
where (status = 'not_assessable') <> (not_assessable_reason is not null)
