select
    report_id,
    section_no,
    section_code,
    heading,
    char_start,
    char_end
from {{ source('parsed', 'sections') }}
