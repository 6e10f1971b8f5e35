with applicant_types as (
    select * from {{ ref('applicant_types') }}
),

table_cells as (
    select * from {{ ref('int_table_cells_canonical') }}
    where
        table_code = 'table3'
        and row_code in ('new_received', 'carried_over', 'total_processed', 'carried_forward')
        -- a printed 法人 subtotal column stays in report_table_cells; it is not an applicant type
        and column_code in (select applicant_types.applicant_type from applicant_types)
),

from_table as (
    select
        report_id,
        agency_id,
        region_code,
        report_year,
        column_code as applicant_type,
        {{ count_or_null("max(value) filter (where row_code = 'new_received')") }} as new_received,
        {{ count_or_null("max(value) filter (where row_code = 'carried_over')") }} as carried_over,
        {{ count_or_null("max(value) filter (where row_code = 'total_processed')") }} as total_processed,
        {{ count_or_null("max(value) filter (where row_code = 'carried_forward')") }} as carried_forward,
        'table' as source
    from table_cells
    group by report_id, agency_id, region_code, report_year, column_code
),

from_prose as (
    select
        report_id,
        agency_id,
        region_code,
        report_year,
        'total' as applicant_type,
        {{ count_or_null("max(value) filter (where measure = 'new_received')") }} as new_received,
        {{ count_or_null("max(value) filter (where measure = 'carried_over')") }} as carried_over,
        {{ count_or_null("max(value) filter (where measure = 'total_processed')") }} as total_processed,
        {{ count_or_null("max(value) filter (where measure = 'carried_forward')") }} as carried_forward,
        min(source) as source
    from {{ ref('int_prose_facts_selected') }}
    where fact_table = 'fct_applications'
    group by report_id, agency_id, region_code, report_year
),

final as (
    select * from from_table
    union all
    select * from from_prose
)

select * from final
