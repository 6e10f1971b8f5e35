with from_table as (
    select
        report_id,
        agency_id,
        region_code,
        report_year,
        split_part(column_code, '.', 2) as review_result,
        {{ count_or_null("value") }} as count,
        'table' as source
    from {{ ref('int_table_cells_canonical') }}
    where table_code = 'table4' and split_part(column_code, '.', 1) = 'review'
),

from_prose as (
    select
        report_id,
        agency_id,
        region_code,
        report_year,
        result_code as review_result,
        {{ count_or_null("value") }} as count,
        source
    from {{ ref('int_prose_facts_selected') }}
    where fact_table = 'fct_reviews'
),

final as (
    select * from from_table
    union all
    select * from from_prose
)

select * from final
