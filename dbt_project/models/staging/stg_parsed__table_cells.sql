select
    report_id,
    table_code::varchar as table_code,
    row_code::varchar as row_code,
    column_code::varchar as column_code,
    row_label_zh,
    column_label_zh,
    raw_text,
    value,
    cell_state::varchar as cell_state,
    unit,
    char_start,
    char_end
from {{ source('parsed', 'table_cells') }}
