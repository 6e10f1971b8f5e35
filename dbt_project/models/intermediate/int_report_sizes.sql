-- How complete each parsed report is: the length of its normalized text and how many of its table cells were
-- read (every state but text). The canonical-report choice ranks by both; both need a pass over the whole
-- text or every cell, so they are kept incrementally by report instead of being recomputed for every build.
{{ refresh_by_report() }}

with reports as (
    {{ rows_of_changed_reports('stg_parsed__reports', ['report_id', 'text_length']) }}
),

cells as (
    select
        report_id,
        count(*) filter (where cell_state <> 'text') as cells_read
    from {{ ref('stg_parsed__table_cells') }}
    where {{ changed_or_missing_reports('report_id') }}
    group by report_id
),

final as (
    select
        reports.report_id,
        reports.text_length,
        coalesce(cells.cells_read, 0) as cells_read
    from reports
    left join cells on reports.report_id = cells.report_id
)

select * from final
