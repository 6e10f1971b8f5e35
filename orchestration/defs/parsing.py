"""Parsing: landed report texts into sections, table cells, prose figures and parse issues (polars)."""

from collections.abc import Iterator

import dagster as dg

from orchestration.defs.preview import counts_table, markdown_table
from orchestration.resources import WarehousePaths
from orchestration.warehouse.parsed_store import TABLES, parse_pending, parse_row_group_size
from orchestration.warehouse.progress import throttled

_DESCRIPTIONS = {
    "reports": "One row per landed report: normalized text, title, year, date, agency, template, parse status.",
    "sections": "The standard sections (一、总体情况 … 六、其他需要报告的事项) found in each report, with spans.",
    "table_cells": "Tables 二/三/四 in long form: row, column, raw cell text, value, cell state, character span.",
    "prose_figures": "Figures read from sentences, with the sentence and the spans of sentence and figure.",
    "parse_issues": "What could not be read for certain in each report, and why.",
}
LEDGER_DESCRIPTION = (
    "The reports parsed, re-parsed or removed since the last successful dbt build: what the incremental "
    "dbt models and the tests on them rebuild and check (emptied by the dbt asset when its build succeeds)."
)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["parsed", name],
            description=_DESCRIPTIONS[name],
            deps=["landed_report_files"],
            kinds={"polars", "duckdb"},
        )
        for name in TABLES
    ]
    + [
        dg.AssetSpec(
            ["pipeline", "changed_reports"],
            description=LEDGER_DESCRIPTION,
            deps=["landed_report_files"],
            kinds={"duckdb"},
        )
    ],
    group_name="parsing",
)
def parsed_reports(context: dg.AssetExecutionContext, paths: WarehousePaths) -> Iterator[dg.MaterializeResult]:
    """Parse the landed reports that are new, or were parsed by another parser version (code + map files).

    A cell that cannot be read for certain is NULL with a parse issue; a file that is not a report is rejected
    with the reason. Logic lives in `orchestration.parsing` (no Dagster import).
    """
    with paths.build_connection() as conn:
        row_group_size = parse_row_group_size(conn)
    with paths.build_connection(row_group_size=row_group_size) as conn:
        summary = parse_pending(conn, progress=throttled(context.log.info, "parsing: reports parsed"))
        counts = {name: conn.execute(f"select count(*) from parsed.{name}").fetchone()[0] for name in TABLES}
        (ledger,) = conn.execute("select count(*) from pipeline.changed_reports").fetchone()
        issues = conn.execute(
            "select report_id, issue_code, message from parsed.parse_issues order by report_id limit 10"
        ).pl()
    context.log.info(f"parsing: {summary}")
    for name in TABLES:
        metadata: dict = {"rows": counts[name]}
        if name == "reports":
            metadata |= {
                "parsed_now": summary.parsed_now,
                "parse_processes": summary.workers,
                "removed": summary.removed,
                "status_counts": counts_table(summary.status_counts, "parse_status", "reports"),
            }
        if name == "parse_issues":
            metadata["first_issues"] = dg.MetadataValue.md(markdown_table(issues))
        yield dg.MaterializeResult(asset_key=["parsed", name], metadata=metadata)
    yield dg.MaterializeResult(asset_key=["pipeline", "changed_reports"], metadata={"reports_to_rebuild": ledger})
