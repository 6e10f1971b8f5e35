with regions as (
    select * from {{ ref('stg_landing__region_references') }}
),

final as (
    select
        region_code,
        region_name,
        region_level,
        province_code,
        province_name,
        prefecture_code,
        prefecture_name,
        county_code,
        county_name,
        valid_from_year,
        valid_to_year,
        current_code,
        reference_source
    from regions
)

select * from final
