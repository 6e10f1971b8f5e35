-- Report metrics rolled up to every province, prefecture and county that has reports, per year. Each rate
-- is a ratio of sums over the reports that state both its numerator and its denominator (so a report with a
-- blank cell drops out of that rate instead of counting as 0); *_reports says how many reports that was.
with report_metrics as (
    select * from {{ ref('metrics_report') }}
    where region_code is not null and report_year is not null
),

regions as (
    select * from {{ ref('dim_region') }}
),

-- the division's version in force in the report's year (its latest version if none was)
report_regions as (
    select
        report_metrics.report_id,
        regions.province_code,
        regions.province_name,
        regions.prefecture_code,
        regions.prefecture_name,
        regions.county_code,
        regions.county_name
    from report_metrics
    inner join regions on report_metrics.region_code = regions.region_code
    qualify row_number() over (
        partition by report_metrics.report_id
        order by
            report_metrics.report_year between regions.valid_from_year
            and coalesce(regions.valid_to_year, report_metrics.report_year) desc,
            regions.valid_from_year desc
    ) = 1
),

-- each report counts once at each level above (and at) its own division
report_levels as (
    select
        report_metrics.*,
        levels.rollup_code,
        levels.rollup_level,
        levels.rollup_name
    from report_metrics
    inner join report_regions on report_metrics.report_id = report_regions.report_id
    cross join
        lateral (
            values
            (report_regions.province_code, 'provincial', report_regions.province_name),
            (report_regions.prefecture_code, 'prefectural', report_regions.prefecture_name),
            (report_regions.county_code, 'county', report_regions.county_name)
        ) as levels (rollup_code, rollup_level, rollup_name)
    where levels.rollup_code is not null
),

final as (
    select
        rollup_code as region_code,
        rollup_level as region_level,
        any_value(rollup_name) as region_name,
        report_year,
        count(*) as reports,
        count(*) filter (where is_prose_era) as reports_prose_era,
        count(*) filter (where fails_identities) as reports_failing_identities,
        cast(sum(new_received) as bigint) as new_received,
        count(new_received) as new_received_reports,
        {% for applicant in ['natural_person', 'commercial_enterprise', 'research_institution',
                              'social_welfare_org', 'legal_service_org', 'other_org'] -%}
            cast(sum(new_received_{{ applicant }}) as bigint) as new_received_{{ applicant }},
        {% endfor -%}
        cast(sum(total_processed) as bigint) as total_processed,
        {% for rate, numerator in [('grant_rate', 'disclosed_count'), ('partial_rate', 'partially_disclosed_count'),
                                   ('unable_share', 'unable_to_provide_count'),
                                   ('unable_not_held_share', 'unable_not_held_count'),
                                   ('not_processed_share', 'not_processed_count')] -%}
            sum({{ numerator }}) filter (where {{ rate }} is not null)
            / sum(total_processed) filter (where {{ rate }} is not null) as {{ rate }},
            count({{ rate }}) as {{ rate }}_reports,
        {% endfor -%}
        sum(disclosed_count) filter (where grant_rate_of_received is not null)
        / sum(new_received) filter (where grant_rate_of_received is not null) as grant_rate_of_received,
        count(grant_rate_of_received) as grant_rate_of_received_reports,
        sum(carried_forward) filter (where carry_forward_rate is not null)
        / sum(new_received + carried_over) filter (where carry_forward_rate is not null) as carry_forward_rate,
        count(carry_forward_rate) as carry_forward_rate_reports,
        sum(review_corrected) filter (where review_correction_rate is not null)
        / sum(review_decided) filter (where review_correction_rate is not null) as review_correction_rate,
        count(review_correction_rate) as review_correction_rate_reports,
        sum(litigation_corrected) filter (where litigation_correction_rate is not null)
        / sum(litigation_decided) filter (
            where litigation_correction_rate is not null
        ) as litigation_correction_rate,
        count(litigation_correction_rate) as litigation_correction_rate_reports
    from report_levels
    group by rollup_code, rollup_level, report_year
)

select * from final
