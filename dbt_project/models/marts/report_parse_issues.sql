-- What the parser could not read for certain, per report, with the span it concerns.
select
    report_id,
    issue_code,
    severity,
    message,
    char_start,
    char_end
from {{ ref('stg_parsed__parse_issues') }}
