-- Soft checks across reports (severity warning), canonical reports only:
--   carry_over_vs_prior_year: this year's 上年结转 = last year's 结转下年度继续办理, same agency, per applicant
--     column (总计 and each applicant type);
--   stock_in_force (2021 format): 现行有效件数(y) = 现行有效件数(y-1) + 本年制发件数(y) - 本年废止件数(y), per item;
--   region_aggregate_vs_children: a government's (or zone's) applications received vs the sum of the reports
--     of agencies inside its region in the same year; a flag only, since an aggregate's scope may differ;
--   text_repeated_from_prior_year: share of this year's sentences (10+ characters) already in the same
--     agency's report of the year before; evaluators penalise more than half (left = share, right = 0.5).
with reports as (
    select * from {{ ref('int_reports_deduplicated') }}
    where is_canonical and agency_id is not null and report_year is not null
),

-- table 二 of canonical reports, with their agency and year (int_table_cells_canonical holds only those)
table2_cells as (
    select * from {{ ref('int_table_cells_canonical') }}
    where table_code = 'table2' and agency_id is not null and report_year is not null
),

-- per applicant column of table 三: a carried-over application keeps its applicant type from one year to the
-- next. A prose-era report is not compared: its 结转 counted by other rules than the template's (the year
-- after it often restarts from 0), so a difference there says nothing about either report.
carry as (
    select
        counts.report_id,
        counts.applicant_type,
        max(counts.value) filter (where counts.measure = 'carried_over') as carried_over,
        max(counts.value) filter (where counts.measure = 'carried_forward') as carried_forward
    from {{ ref('int_fact_counts') }} as counts
    inner join reports on counts.report_id = reports.report_id
    where counts.fact_table = 'fct_applications' and counts.origin = 'template_table'
    group by counts.report_id, counts.applicant_type
),

-- every applicant column both years print, and the total whenever the agency has a report of the year before
-- (a prior report without table 三, or with its 结转下年度 blank, makes the check not assessable; the reason says
-- whether that report prints no table at all or the parser did not read it)
carry_over_vs_prior_year as (
    select
        this_year.report_id,
        'carry_over_vs_prior_year' as check_code,
        this_year.applicant_type as scope,
        this_year.carried_over as left_value,
        prior_carry.carried_forward as right_value,
        this_year.carried_over is not null and prior_carry.carried_forward is not null as is_assessable,
        concat_ws(
            '; ',
            if(this_year.carried_over is null, 'carried_over not stated', null),
            case
                when prior_carry.report_id is null and prior_report.template_version = 'prose'
                    then 'the prior year report is prose-era: it has no table 三'
                when prior_carry.report_id is null then 'the table 三 of the prior year report was not read'
                when prior_carry.carried_forward is null then 'the prior year report states no carried_forward'
            end
        ) as missing_inputs
    from carry as this_year
    inner join reports as this_report on this_year.report_id = this_report.report_id
    inner join reports as prior_report
        on
            this_report.agency_id = prior_report.agency_id
            and this_report.report_year = prior_report.report_year + 1
    left join carry as prior_carry
        on
            prior_report.report_id = prior_carry.report_id
            and this_year.applicant_type = prior_carry.applicant_type
    where prior_carry.report_id is not null or this_year.applicant_type = 'total'
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
    from table2_cells
    where row_code in ('rules', 'normative_documents')
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
        and this_year.repealed is not null as is_assessable,
        'a stock, issued or repealed count of this or the prior year is not stated' as missing_inputs
    from stock as this_year
    inner join stock as prior_year
        on
            this_year.agency_id = prior_year.agency_id
            and this_year.item = prior_year.item
            and this_year.report_year = prior_year.report_year + 1
),

received as (
    select
        facts.report_id,
        reports.agency_id,
        reports.agency_kind,
        reports.region_code,
        reports.report_year,
        facts.new_received
    from {{ ref('fct_applications') }} as facts
    inner join reports on facts.report_id = reports.report_id
    where facts.applicant_type = 'total' and reports.region_code is not null
),

region_prefixes as (
    select
        *,
        case
            when length(region_code) = 9 then region_code
            when region_code like '__0000' then left(region_code, 2)
            when region_code like '____00' then left(region_code, 4)
            else region_code
        end as region_prefix
    from received
),

region_aggregate_vs_children as (
    select
        parent.report_id,
        'region_aggregate_vs_children' as check_code,
        'new_received' as scope,
        any_value(parent.new_received) as left_value,
        sum(child.new_received) as right_value,
        any_value(parent.new_received) is not null and count(child.new_received) = count(*) as is_assessable,
        concat_ws(
            '; ',
            if(any_value(parent.new_received) is null, 'new_received not stated', null),
            if(
                count(child.new_received) < count(*),
                concat(
                    count(*) - count(child.new_received), ' of ', count(*),
                    ' reports inside the region state no new_received'
                ),
                null
            )
        ) as missing_inputs
    from region_prefixes as parent
    inner join region_prefixes as child
        on
            starts_with(child.region_code, parent.region_prefix)
            and parent.report_year = child.report_year
            and parent.agency_id <> child.agency_id
            -- inside the region: a lower division, or a department of the same one (two governments of one
            -- place, such as a county and the zone that governs it, are not each other's parts)
            and (
                parent.region_code <> child.region_code
                or child.agency_kind not in ('government', 'development_zone')
            )
    where parent.agency_kind in ('government', 'development_zone')
    group by parent.report_id
),

sentences as (
    select
        reports.*,
        sentence_sets.sentence_hashes
    from {{ ref('int_report_sentence_hashes') }} as sentence_sets
    inner join reports on sentence_sets.report_id = reports.report_id
),

repeated as (
    select
        this_year.report_id,
        len(this_year.sentence_hashes) as sentence_count,
        len(list_intersect(this_year.sentence_hashes, prior_year.sentence_hashes)) as repeated_count
    from sentences as this_year
    inner join sentences as prior_year
        on this_year.agency_id = prior_year.agency_id and this_year.report_year = prior_year.report_year + 1
),

text_repeated_from_prior_year as (
    select
        report_id,
        'text_repeated_from_prior_year' as check_code,
        'sentences' as scope,
        round(repeated_count / sentence_count, 4) as left_value,
        0.5 as right_value,
        true as is_assessable
    from repeated
),

unioned as (
    select * from carry_over_vs_prior_year
    union all
    select * from stock_in_force
    union all
    select * from region_aggregate_vs_children
),

threshold_checks as (
    select
        report_id,
        check_code,
        scope,
        left_value,
        right_value,
        left_value - right_value as delta,
        case when left_value > right_value then 'fail' else 'pass' end as status,
        'warning' as severity,
        cast(null as varchar) as not_assessable_reason
    from text_repeated_from_prior_year
),

final as (
    select {{ check_result_columns('warning') }}
    from unioned
    union all
    select * from threshold_checks
)

select * from final
