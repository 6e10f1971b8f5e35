with reports as (
    select * from {{ ref('int_reports_deduplicated') }}
),

final as (
    select
        report_id,
        content_sha256,
        source_path,
        title,
        agency_id,
        report_year,
        published_date,
        template_version,
        parse_status,
        parse_message,
        is_canonical,
        duplicate_of,
        is_polluted,
        ingested_at,
        detected_encoding,
        size_bytes
    from reports
)

select * from final
