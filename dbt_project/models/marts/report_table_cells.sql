-- Evidence: every table cell of every parsed report as printed, with its span in the normalized text.
-- Incremental by report: a build replaces the rows of the reports parsed or removed since the last one.
{{ refresh_by_report() }}

select
    report_id,
    table_code,
    row_code,
    column_code,
    row_label_zh,
    column_label_zh,
    raw_text,
    value,
    cell_state,
    unit,
    char_start,
    char_end
from {{ ref('stg_parsed__table_cells') }}
where {{ changed_or_missing_reports('report_id') }}
