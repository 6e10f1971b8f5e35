{#
  quality.identity_checks is incremental. Its rows for a report change when the report changes (the ledger),
  when a review verdict on one of its checks is given or withdrawn (the review file changes without the
  report), and, for the cross-report checks, when another report changes. An incremental build therefore
  rebuilds the rows of the ledger's reports and of every report with a verdict now or in the table before,
  and every cross-report check row (int_checks_cross_report is small and always rebuilt whole).
#}
{% macro rechecked_reports_filter(column, beyond=none) %}
    {%- set query -%}
        select report_id from {{ ref('stg_pipeline__changed_reports') }}
        union
        select reports.report_id from {{ ref('int_reports_deduplicated') }} as reports
        inner join {{ ref('stg_landing__review_verdicts') }} as verdicts
            on reports.content_sha256 = verdicts.content_sha256
        union
        select report_id from {{ this }}
        where review_verdict is not null
    {%- endset -%}
    {{- report_id_filter(column, query, beyond) -}}
{% endmacro %}

{#
  The cross-report check codes are those of basis cross_report in the seed check_codes; the test
  check_codes_match_their_models keeps the seed true to the models, so the deletion below misses none.
#}
{% macro delete_rechecked_rows() %}
    {% if is_incremental() %}
        delete from {{ this }}
        where
            {{ rechecked_reports_filter('report_id') }}
            or check_code in (
                select check_code from {{ ref('check_codes') }}
                where basis = 'cross_report'
            )
    {% endif %}
{% endmacro %}

{#
  The filter of an incremental build of identity_checks (true on a full build). As literals it is the set
  the pre-hook deleted, read before the deletion. In the subquery form it would run after the deletion, when
  the rows that held a verdict before are gone; the reports without rows left are exactly the deleted ones
  (and new ones), so that is the condition then.
#}
{% macro rechecked_reports(column) %}
    {% if is_incremental() %}
        {{ rechecked_reports_filter(column, column ~ ' not in (select report_id from ' ~ this ~ ')') }}
    {% else %}
        true
    {% endif %}
{% endmacro %}
