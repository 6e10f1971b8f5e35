select
    cast(region_code as varchar) as region_code,
    region_name,
    region_level,
    cast(province_code as varchar) as province_code,
    province_name,
    cast(prefecture_code as varchar) as prefecture_code,
    prefecture_name,
    cast(county_code as varchar) as county_code,
    county_name,
    cast(valid_from_year as integer) as valid_from_year,
    cast(valid_to_year as integer) as valid_to_year,
    cast(current_code as varchar) as current_code,
    source as reference_source
from {{ source('landing', 'region_reference') }}
