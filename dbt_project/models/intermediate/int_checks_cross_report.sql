-- Soft checks across one agency's consecutive reports (severity warning), canonical reports only:
--   carry_over_vs_prior_year: this year's 上年结转 (总计) = last year's 结转下年度继续办理 (总计);
--   stock_in_force (2021 format): 现行有效件数(y) = 现行有效件数(y-1) + 本年制发件数(y) - 本年废止件数(y), per item.
with reports as (
    select * from {{ ref('int_reports_deduplicated') }}
    where is_canonical and agency_id is not null and report_year is not null
),

cells as (
    select
        cells.*,
        reports.agency_id,
        reports.report_year
    from {{ ref('stg_parsed__table_cells') }} as cells
    inner join reports on cells.report_id = reports.report_id
),

carry as (
    select
        report_id,
        agency_id,
        report_year,
        max(value) filter (where row_code = 'carried_over') as carried_over,
        max(value) filter (where row_code = 'carried_forward') as carried_forward
    from cells
    where table_code = 'table3' and column_code = 'total'
    group by report_id, agency_id, report_year
),

carry_over_vs_prior_year as (
    select
        this_year.report_id,
        'carry_over_vs_prior_year' as check_code,
        'total' as scope,
        this_year.carried_over as left_value,
        prior_year.carried_forward as right_value,
        this_year.carried_over is not null and prior_year.carried_forward is not null as is_assessable
    from carry as this_year
    inner join carry as prior_year
        on this_year.agency_id = prior_year.agency_id and this_year.report_year = prior_year.report_year + 1
),

stock as (
    select
        report_id,
        agency_id,
        report_year,
        row_code as item,
        max(value) filter (where column_code = 'issued') as issued,
        max(value) filter (where column_code = 'repealed') as repealed,
        max(value) filter (where column_code = 'in_force') as in_force
    from cells
    where table_code = 'table2' and row_code in ('rules', 'normative_documents')
    group by report_id, agency_id, report_year, row_code
    having count(*) filter (where column_code = 'in_force') = 1
),

stock_in_force as (
    select
        this_year.report_id,
        'stock_in_force' as check_code,
        this_year.item as scope,
        this_year.in_force as left_value,
        prior_year.in_force + this_year.issued - this_year.repealed as right_value,
        this_year.in_force is not null
        and prior_year.in_force is not null
        and this_year.issued is not null
        and this_year.repealed is not null as is_assessable
    from stock as this_year
    inner join stock as prior_year
        on
            this_year.agency_id = prior_year.agency_id
            and this_year.item = prior_year.item
            and this_year.report_year = prior_year.report_year + 1
),

unioned as (
    select * from carry_over_vs_prior_year
    union all
    select * from stock_in_force
),

final as (
    select
        report_id,
        check_code,
        scope,
        case when is_assessable then left_value end as left_value,
        case when is_assessable then right_value end as right_value,
        case when is_assessable then left_value - right_value end as delta,
        case
            when not is_assessable then 'not_assessable'
            when left_value = right_value then 'pass'
            else 'fail'
        end as status,
        'warning' as severity
    from unioned
)

select * from final
