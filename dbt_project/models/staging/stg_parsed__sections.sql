with source as (
    select * from {{ source('parsed', 'sections') }}
),

renamed as (
    select
        report_id,
        section_no,
        section_code,
        heading,
        char_start,
        char_end
    from source
)

select * from renamed
