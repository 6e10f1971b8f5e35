-- Table 二 in long form. Money is stored in the unit the measure names: amount_cny in 元, amount_10k_cny in
-- 万元; a cell printed with the other unit ("251000元" under 万元) is converted, never mixed.
{{ refresh_by_report(canonical_only=true) }}

with cells as (
    select * from {{ ref('int_table_cells_canonical') }}
    where table_code = 'table2' and {{ changed_or_missing_reports('report_id', canonical_only=true) }}
),

measures as (
    select * from {{ ref('proactive_measures') }}
),

final as (
    select
        cells.report_id,
        cells.agency_id,
        cells.region_code,
        cells.report_year,
        cells.row_code as item,
        cells.column_code as measure,
        case
            when cells.column_code = 'amount_cny' and cells.unit = '万元' then cells.value * 10000
            when cells.column_code = 'amount_10k_cny' and cells.unit = '元' then cells.value / 10000
            else cells.value
        end as value,
        cells.row_label_zh || '/' || coalesce(measures.label_zh, cells.column_code) as label_zh
    from cells
    left join measures
        on cells.column_code = measures.measure and cells.template_version = measures.template_version
)

select * from final
