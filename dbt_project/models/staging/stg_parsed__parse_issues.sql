select
    report_id,
    issue_code,
    severity,
    message,
    char_start,
    char_end
from {{ source('parsed', 'parse_issues') }}
