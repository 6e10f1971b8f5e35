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
