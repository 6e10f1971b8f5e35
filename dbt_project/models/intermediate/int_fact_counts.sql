-- Every count that becomes a row of a fact table, in one long shape: the canonical report, the fact table
-- it belongs to, the codes that place it there, the printed value and where it was read. Template reports
-- give their table 三 and 四 cells; prose-era reports their selected figures (int_prose_facts_selected).
-- The fct_* models pick their rows from here and only rename or pivot them. A view: each fact's filter on
-- fact_table is pushed into the scan of the cells, and no copy of the cells is stored.
{{ config(materialized='view') }}

with applicant_types as (
    select * from {{ ref('applicant_types') }}
),

outcome_codes as (
    select * from {{ ref('outcome_codes') }}
),

cells as (
    select * from {{ ref('int_table_cells_canonical') }}
    where table_code in ('table3', 'table4')
),

placed_cells as (
    select
        cells.*,
        case
            when cells.table_code = 'table4' and split_part(cells.column_code, '.', 1) = 'review' then 'fct_reviews'
            when cells.table_code = 'table4' and split_part(cells.column_code, '.', 1) in ('direct', 'after_review')
                then 'fct_litigation'
            -- a printed 法人 subtotal column stays in report_table_cells; it is not an applicant type
            when cells.table_code = 'table4' or applicant_types.applicant_type is null then null
            when cells.row_code in ('new_received', 'carried_over', 'total_processed', 'carried_forward')
                then 'fct_applications'
            when outcome_codes.outcome_code is not null then 'fct_outcomes'
        end as fact_table
    from cells
    left join applicant_types on cells.column_code = applicant_types.applicant_type
    left join outcome_codes on cells.row_code = outcome_codes.outcome_code
),

from_tables as (
    select
        {{ fact_keys() }},
        fact_table,
        'template_table' as origin,
        if(table_code = 'table3', column_code, null) as applicant_type,
        if(table_code = 'table3', row_code, null) as measure,
        if(table_code = 'table4', split_part(column_code, '.', 1), null) as route,
        if(table_code = 'table4', split_part(column_code, '.', 2), null) as result_code,
        value,
        'table' as source
    from placed_cells
    where fact_table is not null
),

from_prose as (
    select
        {{ fact_keys() }},
        fact_table,
        'prose_era' as origin,
        'total' as applicant_type,
        coalesce(measure, outcome_code) as measure,
        if(fact_table = 'fct_litigation', 'unspecified', null) as route,
        result_code,
        value,
        source
    from {{ ref('int_prose_facts_selected') }}
    where fact_table in ('fct_applications', 'fct_outcomes', 'fct_reviews', 'fct_litigation')
),

final as (
    select * from from_tables
    union all
    select * from from_prose
)

select * from final
