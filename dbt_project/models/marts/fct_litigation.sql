-- 行政诉讼 by route (direct, after review; unspecified in prose) and result.
select
    report_id,
    agency_id,
    region_code,
    report_year,
    route as litigation_route,
    result_code as litigation_result,
    {{ count_or_null("value") }} as count,
    source
from {{ ref('int_fact_counts') }}
where fact_table = 'fct_litigation'
