select
    lower(trim(content_sha256)) as content_sha256,
    trim(check_code) as check_code,
    trim(scope) as scope,
    lower(trim(verdict)) as verdict,
    note,
    reviewer,
    try_cast(reviewed_on as date) as reviewed_on
from {{ source('landing', 'review_verdicts') }}
