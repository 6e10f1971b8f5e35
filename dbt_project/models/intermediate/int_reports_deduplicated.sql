-- Every landed file with its parse result, and the choice of the one canonical report per agency and year.
-- Byte-identical copies point to the first copy (by path); among the remaining reports of one agency-year
-- the canonical one is unpolluted before polluted, then the more complete (parsed before partial, more cells
-- read, a text at least 90 % as long as the longest of its agency-year: a copy with a site's header and footer
-- around the same report is longer, not more complete, while a truncated copy falls short), then the later
-- version (published, where every copy states its date; then landed), then path order.
with joined as (
    select
        landed.report_id,
        landed.content_sha256,
        landed.source_path,
        landed.detected_encoding,
        landed.size_bytes,
        landed.ingested_at,
        parsed.title,
        parsed.report_year,
        parsed.published_date,
        parsed.template_version,
        parsed.agency_name,
        parsed.agency_kind,
        parsed.region_code,
        sizes.text_length,
        coalesce(parsed.is_polluted, false) as is_polluted,
        coalesce(parsed.parse_status, 'rejected') as parse_status,
        coalesce(parsed.parse_message, landed.rejection_reason, 'not parsed yet') as parse_message,
        -- the same name exists in many places (城关镇人民政府): the region is part of the agency's identity
        case
            when parsed.agency_name is not null
                then substr(md5(parsed.agency_name || '|' || coalesce(parsed.region_code, '')), 1, 16)
        end as agency_id,
        coalesce(sizes.cells_read, 0) as cells_read
    from {{ ref('stg_landing__landed_files') }} as landed
    left join {{ ref('stg_parsed__reports') }} as parsed on landed.report_id = parsed.report_id
    left join {{ ref('int_report_sizes') }} as sizes on landed.report_id = sizes.report_id
),

with_first_copy as (
    select
        *,
        first_value(report_id) over (
            partition by content_sha256 order by source_path
        ) as first_copy_id
    from joined
),

candidates as (
    select
        *,
        coalesce(text_length >= 0.9 * max(text_length) over (partition by agency_id, report_year), false)
            as has_full_text,
        -- a later publication date wins only where every copy states one: a copy whose page shows a date beside
        -- one whose page does not is no later for that
        count(published_date) over (partition by agency_id, report_year)
        = count(*) over (partition by agency_id, report_year) as dates_comparable
    from with_first_copy
    where
        parse_status <> 'rejected'
        and report_id = first_copy_id
        and agency_id is not null
        and report_year is not null
),

ranked as (
    select
        report_id,
        row_number() over preference as rank_in_agency_year,
        first_value(report_id) over preference as best_in_agency_year
    from candidates
    window preference as (
        partition by agency_id, report_year
        order by
            is_polluted asc,
            case parse_status when 'parsed' then 0 else 1 end asc,
            cells_read desc,
            has_full_text desc,
            case when dates_comparable then published_date end desc nulls last,
            ingested_at desc,
            source_path asc
    )
),

final as (
    select
        with_first_copy.*,
        case
            when with_first_copy.parse_status = 'rejected' then false
            when with_first_copy.report_id <> with_first_copy.first_copy_id then false
            when with_first_copy.agency_id is null or with_first_copy.report_year is null then true
            else ranked.rank_in_agency_year = 1
        end as is_canonical,
        case
            when with_first_copy.parse_status = 'rejected' then null
            when with_first_copy.report_id <> with_first_copy.first_copy_id then with_first_copy.first_copy_id
            when ranked.rank_in_agency_year > 1 then ranked.best_in_agency_year
        end as duplicate_of
    from with_first_copy
    left join ranked on with_first_copy.report_id = ranked.report_id
)

select * from final
