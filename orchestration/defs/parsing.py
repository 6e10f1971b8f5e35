"""Parsing: landed report texts into sections, table cells, prose figures and parse issues (polars)."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.preview import markdown_table
from orchestration.resources import WarehousePaths
from orchestration.warehouse.parsed_store import parse_pending


@dg.asset(group_name="parsing", deps=[dg.AssetKey("landed_report_files")], kinds={"polars", "duckdb"})
def parsed_reports(context: dg.AssetExecutionContext, paths: WarehousePaths) -> dg.MaterializeResult:
    """Parsed reports in schema `parsed`: metadata, template version, table cells in long form, prose figures.

    Only reports that are new or were parsed by another parser version (code + map files) are parsed again.
    A cell that cannot be read for certain is NULL with a parse issue; a file that is not a report is rejected
    with the reason.
    """
    with paths.build_connection() as conn:
        summary = parse_pending(conn)
        issues = conn.execute(
            "select report_id, issue_code, message from parsed.parse_issues order by report_id limit 10"
        ).pl()
    context.log.info(f"parsing: {summary}")
    return dg.MaterializeResult(
        metadata={
            "parsed_now": summary.parsed_now,
            "removed": summary.removed,
            "status_counts": dg.MetadataValue.json(summary.status_counts),
            "table_cells": summary.cells,
            "prose_figures": summary.prose_figures,
            "parse_issues": summary.issues,
            "first_issues": dg.MetadataValue.md(markdown_table(issues)),
        }
    )
