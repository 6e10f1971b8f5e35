-- Evidence: every figure read from sentences, with the sentence and spans.
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
    position_in_report
from {{ ref('stg_parsed__prose_figures') }}
