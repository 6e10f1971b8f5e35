{#
  Refresh by report: the one mechanism behind every incremental model of this project.

  A model opts in with one line, `{{ refresh_by_report() }}`, at its top, and filters its inputs with
  `{{ changed_or_missing_reports('report_id') }}` (true on a full build). Then an incremental build deletes the
  model's rows of the reports parsed, re-parsed or removed since the last build (the ledger
  stg_pipeline__changed_reports, written by parsing in the same transaction as the parsed rows) and inserts
  their new rows; a full build (first build, --full-refresh, a changed dbt project) builds everything.

  Variants, one argument each:
    canonical_only=true  the model holds canonical reports only: reports that lost the canonical choice of
                         their agency-year are deleted too, and canonical reports without rows are added;
    rechecked=true       quality.identity_checks: also the reports with a review verdict now or before, and
                         every cross-report check (rechecked_reports below says why).

  The published file is updated from the same ledger (orchestration/warehouse/publish.py INCREMENTAL_TABLES).
  Tests: tests/integration/test_incremental.py builds a changed folder both ways and compares every table.
#}
{% macro refresh_by_report(canonical_only=false, rechecked=false) -%}
-- depends_on: {{ ref('stg_pipeline__changed_reports') }}
{% if canonical_only %}-- depends_on: {{ ref('int_reports_deduplicated') }}
{% endif -%}
{% if rechecked %}-- depends_on: {{ ref('check_codes') }}
{% endif -%}
{%- set hook = "{{ delete_changed_report_rows() }}" -%}
{%- if rechecked -%}{%- set hook = "{{ delete_rechecked_rows() }}" -%}{%- endif -%}
{%- if canonical_only -%}{%- set hook = "{{ delete_changed_report_rows(canonical_only=true) }}" -%}{%- endif -%}
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail', pre_hook=hook) }}
{%- endmacro %}

{#
  Incremental models keyed by report: an incremental build deletes the rows of the reports in the ledger
  (stg_pipeline__changed_reports) before it inserts their new rows, so a re-parsed report is replaced whole
  (even when it now has fewer rows, or none) and a removed one disappears.

  canonical_only: the model holds canonical reports only. The canonical choice of an agency-year can move to
  another report when one of them changes; rows of reports no longer canonical are deleted here, and
  changed_or_missing_reports() selects canonical reports that have no rows yet.
#}
{% macro delete_changed_report_rows(canonical_only=false) %}
{% if is_incremental() %}
delete from {{ this }}
where
    {{ changed_reports_filter('report_id') }}
{% if canonical_only %}
    or report_id not in (select report_id from {{ ref('int_reports_deduplicated') }} where is_canonical)
    {% endif %}
{% endif %}
{% endmacro %}

{#
  The filter of an incremental build: the reports in the ledger, and for canonical-only models also the
  canonical reports without rows in the model (a report that just became canonical). On a full build: true.
#}
{% macro changed_or_missing_reports(column, canonical_only=false) %}
{% if is_incremental() %}
(
    {{ changed_reports_filter(column) }}
{% if canonical_only %}
    or {{ column }} not in (select distinct report_id from {{ this }})
    {% endif %}
)
{% else %}
true
{% endif %}
{% endmacro %}

{#
  "column is one of the ledger's reports", written so that DuckDB filters inside the table scan: while the
  ledger is small, list_contains() over a list of literals, which DuckDB pushes into the scan, so that the
  other columns are read for the matching rows only. An IN list of literals or a subquery both become a
  join that reads every row: selecting 100 of 100,000 parsed texts took 1.06 s with an IN list (cold), 0.03 s
  with list_contains. An empty ledger selects nothing.
#}
{% macro changed_reports_filter(column) %}
{{- report_id_filter(column, 'select report_id from ' ~ ref('stg_pipeline__changed_reports')) -}}
{% endmacro %}

{#
  "column is one of the report ids the query selects": list_contains() over literals up to
  var('changed_reports_literal_limit') ids; beyond, or when the ledger cannot be read (dbt docs compiled on
  the published file), the condition `beyond` when given, else an IN subquery. The literals are read when
  the SQL is compiled; a subquery runs with the statement, after any pre-hook.
#}
{% macro report_id_filter(column, query, beyond=none) %}
{%- set limit = var('changed_reports_literal_limit') | int -%}
{%- set listing = 'select distinct report_id from (' ~ query ~ ') order by 1 limit ' ~ (limit + 1) -%}
{%- set readable = execute and load_relation(ref('stg_pipeline__changed_reports')) is not none -%}
{%- set ids = run_query(listing).columns[0].values() if readable else [] -%}
{%- if readable and ids | length == 0 -%}
false
{%- elif readable and ids | length <= limit -%}
list_contains([{% for id in ids %}'{{ id | replace("'", "''") }}'{{ ", " if not loop.last }}{% endfor %}], {{ column }})
{%- elif beyond -%}
{{ beyond }}
{%- else -%}
{{ column }} in ({{ query }})
{%- endif -%}
{% endmacro %}

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

{#
  The input of a model refreshed by report: the named columns of `model`'s rows that belong to the reports
  this build refreshes (every row on a full build), optionally narrowed by `where`. Selecting only the
  columns a model reads matters where the input is materialized as a CTE: the printed text and labels would
  multiply it.
#}
{% macro rows_of_changed_reports(model, columns, where=none) -%}
select {{ columns | join(', ') }}
from {{ ref(model) }}
where {% if where %}{{ where }} and {% endif %}{{ changed_or_missing_reports('report_id') }}
{%- endmacro %}
