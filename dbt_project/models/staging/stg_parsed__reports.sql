select
    report_id,
    title,
    cast(report_year as integer) as report_year,
    cast(statistics_period_year as integer) as statistics_period_year,
    published_date,
    agency_name,
    agency_kind,
    region_code,
    is_polluted,
    template_version,
    parse_status,
    parse_message,
    parser_version,
    normalized_text,
    length(normalized_text) as text_length
from {{ source('parsed', 'reports') }}
