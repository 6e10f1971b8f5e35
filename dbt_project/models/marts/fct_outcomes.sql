with outcome_codes as (
    select * from {{ ref('outcome_codes') }}
),

from_table as (
    select
        cells.report_id,
        cells.agency_id,
        cells.region_code,
        cells.report_year,
        cells.column_code as applicant_type,
        outcome_codes.outcome_group,
        cells.row_code as outcome_code,
        outcome_codes.label_zh,
        {{ count_or_null("cells.value") }} as count,
        'table' as source
    from {{ ref('int_table_cells_canonical') }} as cells
    inner join outcome_codes on cells.row_code = outcome_codes.outcome_code
    inner join {{ ref('applicant_types') }} as applicant_types on cells.column_code = applicant_types.applicant_type
    where cells.table_code = 'table3'
),

from_prose as (
    select
        prose.report_id,
        prose.agency_id,
        prose.region_code,
        prose.report_year,
        'total' as applicant_type,
        outcome_codes.outcome_group,
        prose.outcome_code,
        outcome_codes.label_zh,
        {{ count_or_null("prose.value") }} as count,
        prose.source
    from {{ ref('int_prose_facts_selected') }} as prose
    inner join outcome_codes on prose.outcome_code = outcome_codes.outcome_code
    where prose.fact_table = 'fct_outcomes'
),

final as (
    select * from from_table
    union all
    select * from from_prose
)

select * from final
