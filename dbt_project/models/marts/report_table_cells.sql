-- Evidence: every table cell of every parsed report as printed, with its span in the normalized text.
-- Incremental by report: a build replaces the rows of the reports parsed or removed since the last one.
{{ refresh_by_report() }}

{{ rows_of_changed_reports('stg_parsed__table_cells', ['*']) }}
