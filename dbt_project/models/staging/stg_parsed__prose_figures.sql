select
    report_id,
    field,
    value,
    rule_id,
    sentence,
    sentence_start,
    sentence_end,
    char_start,
    char_end,
    row_number() over (partition by report_id, field order by char_start) as position_in_report
from {{ source('parsed', 'prose_figures') }}
