-- 行政诉讼 by route (direct, after review; unspecified in prose) and result.
{{ refresh_by_report(canonical_only=true) }}

select
    {{ fact_keys() }},
    route as litigation_route,
    result_code as litigation_result,
    {{ count_or_null("value") }} as count,
    source
from {{ ref('int_fact_counts') }}
where fact_table = 'fct_litigation' and {{ changed_or_missing_reports('report_id', canonical_only=true) }}
