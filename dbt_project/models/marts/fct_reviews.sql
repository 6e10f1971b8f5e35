-- 行政复议 by result: table 四's review columns, or a prose-era report's sentences.
{{ refresh_by_report(canonical_only=true) }}

select
    {{ fact_keys() }},
    result_code as review_result,
    {{ count_or_null("value") }} as count,
    source
from {{ ref('int_fact_counts') }}
where fact_table = 'fct_reviews' and {{ changed_or_missing_reports('report_id', canonical_only=true) }}
