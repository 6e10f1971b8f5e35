with source as (
    select * from {{ source('parsed', 'table_cells') }}
),

renamed as (
    select
        report_id,
        table_code,
        row_code,
        column_code,
        row_label_zh,
        column_label_zh,
        raw_text,
        value,
        cell_state,
        unit,
        char_start,
        char_end
    from source
)

select * from renamed
