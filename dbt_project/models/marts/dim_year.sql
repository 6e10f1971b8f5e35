-- One row per report year present. The revised 条例 is in force from 2019-05-15, so reports covering 2019
-- and later fall under it; the expected template follows 国办公开办函〔2019〕60号 and 〔2021〕30号.
with years as (
    select distinct report_year
    from {{ ref('int_reports_deduplicated') }}
    where report_year is not null
),

final as (
    select
        report_year,
        case when report_year >= 2019 then '2019' else '2008' end as regulation,
        case
            when report_year >= 2021 then 'fmt2021'
            when report_year >= 2019 then 'fmt2019'
            else 'prose'
        end as expected_template_version
    from years
)

select * from final
