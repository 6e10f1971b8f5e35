-- One row per agency named by a report. When reports of one agency disagree (kind or region), the most
-- recent report's reading wins.
with reports as (
    select * from {{ ref('int_reports_deduplicated') }}
    where agency_id is not null
),

latest as (
    select
        agency_id,
        agency_name,
        agency_kind,
        region_code,
        row_number() over (
            partition by agency_id order by report_year desc nulls last, source_path asc
        ) as recency
    from reports
),

region_levels as (
    select
        region_code,
        region_level,
        row_number() over (partition by region_code order by valid_from_year desc) as version_rank
    from {{ ref('stg_landing__region_references') }}
),

final as (
    select
        latest.agency_id,
        latest.agency_name,
        latest.agency_kind,
        case
            when latest.agency_kind in ('township', 'subdistrict') then 'township'
            when region_levels.region_level = 'provincial' and latest.region_code in (
                '110000', '120000', '310000', '500000'
            ) then 'provincial'
            else region_levels.region_level
        end as admin_level,
        latest.region_code
    from latest
    left join region_levels
        on latest.region_code = region_levels.region_code and region_levels.version_rank = 1
    where latest.recency = 1
)

select * from final
