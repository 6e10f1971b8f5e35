with source as (
    select * from {{ source('parsed', 'parse_issues') }}
),

renamed as (
    select
        report_id,
        issue_code,
        severity,
        message,
        char_start,
        char_end
    from source
)

select * from renamed
